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
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Re-walks a run's step log without executing anything.",
      "No function, LLM or tool is called and nothing is written. Prints the result as 'run' does; the exit "
          + "code is the run's."
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "RUN", description = "The run's id (see 'agentrt runs').")
  String runId;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (AgentRuntime rt = config.openForReading()) {
      config.printWarnings(spec.commandLine().getErr());
      Runs.requireExists(rt, runId);
      return RunReport.print(spec, rt.replay(runId), json, config);
    }
  }
}
