package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.Manifests;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config DIR}, shared by every subcommand. */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "DIR",
      defaultValue = ".agent",
      description = "The configuration directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  /**
   * Loads and checks the directory, traced and measured by the process's telemetry; throws {@code
   * ManifestException} listing every problem.
   */
  AgentRuntime open() {
    AgentRuntime rt = CliTelemetry.get().buildRuntime(AgentRuntime.builder().configDir(dir));
    LogRedaction.add(rt.manifests().redactor());
    return rt;
  }

  /**
   * Loads and checks the directory without a runtime: no checkpoint store is opened and no executor
   * or thread is created. Throws {@code ManifestException} listing every problem.
   */
  Manifests load() {
    Manifests m = ManifestLoader.ofDefaults().load(dir).orThrow();
    LogRedaction.add(m.redactor());
    return m;
  }

  /**
   * The capability registry of the directory, loaded as {@link #load()} does, with the tools on the
   * classpath. Throws {@code ManifestException} listing every problem.
   */
  Capabilities capabilities() {
    ManifestLoader.Result result = ManifestLoader.ofDefaults().load(dir);
    LogRedaction.add(result.orThrow().redactor());
    return result.capabilities();
  }
}
