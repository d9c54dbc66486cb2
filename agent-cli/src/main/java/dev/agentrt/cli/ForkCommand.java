package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "fork",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a new run from a step of a recorded run.",
      "The new run has the same workflow and input, keeps the steps of RUN before STEP and executes again from "
          + "STEP on. Prints the new run's result as 'run' does."
    })
final class ForkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "RUN", description = "The run's id (see 'agentrt runs').")
  String runId;

  @Option(
      names = "--at",
      paramLabel = "STEP",
      required = true,
      description = "The step key to execute again from, such as draft#1 (see 'agentrt show RUN').")
  String stepKey;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (AgentRuntime rt = config.open()) {
      Runs.requireExists(rt, runId);
      return RunReport.print(spec, rt.fork(runId, stepKey), json);
    }
  }
}
