package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.Manifests;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Loads and checks every file of the configuration directory; prints each problem as file:line:col: message.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Override
  public Integer call() {
    try (AgentRuntime rt = config.open()) {
      Manifests m = rt.manifests();
      spec.commandLine().getOut().printf("OK: %d workflows, %d agents%n", m.workflows().size(), m.agents().size());
      return ExitCode.COMPLETED;
    }
  }
}
