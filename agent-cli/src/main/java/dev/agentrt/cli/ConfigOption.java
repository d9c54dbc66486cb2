package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config DIR}, shared by every subcommand. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "DIR", defaultValue = ".agent",
      description = "The configuration directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  /**
   * Loads and checks the directory, traced and measured by the process's telemetry; throws
   * {@code ManifestException} listing every problem.
   */
  AgentRuntime open() {
    AgentRuntime rt = CliTelemetry.get().buildRuntime(AgentRuntime.builder().configDir(dir));
    LogRedaction.add(rt.manifests().secrets());
    return rt;
  }
}
