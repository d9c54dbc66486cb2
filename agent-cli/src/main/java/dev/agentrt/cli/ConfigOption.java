package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config DIR}, shared by every subcommand. */
final class ConfigOption {
  @Option(names = "--config", paramLabel = "DIR", defaultValue = ".agent",
      description = "The configuration directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  /** Loads and checks the directory; throws {@code ManifestException} listing every problem. */
  AgentRuntime open() {
    return AgentRuntime.builder().configDir(dir).build();
  }
}
