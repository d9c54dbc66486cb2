package dev.agentrt.cli;

import dev.agentrt.core.manifest.Manifests;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt validate}: the directory through {@link dev.agentrt.core.manifest.ManifestLoader},
 * so validating opens no checkpoint store (creates no database file) and starts no thread. The node
 * kinds of the executors on the classpath are accepted; their kind-specific keys (an agent's tools,
 * a tool's arguments) are checked when a runtime is built ({@code agentrt run}).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Loads and checks every file of the configuration directory; prints each problem as file:line:col: message.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Override
  public Integer call() {
    Manifests m = config.load();
    spec.commandLine()
        .getOut()
        .printf("OK: %d workflows, %d agents%n", m.workflows().size(), m.agents().size());
    return ExitCode.COMPLETED;
  }
}
