package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.ResumeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Continues a run that waits for input, or one whose process died.",
      "A waiting run gets the input (the step it waits at and the steps after it read it at $resume.<node>); "
          + "without --input, a run waiting before an 'interrupt: before' node runs it ($resume.<node> is null), "
          + "other waits wait again; "
          + "a run whose process died while it was running continues once that process's lease has expired. "
          + "Completed steps are not executed again. Prints the result as 'run' does, with its exit codes.",
      "A run that another live process owns is not touched: the command exits with 2 and says who owns it "
          + "and when its lease expires."
    })
final class ResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin InputOption input;

  @Parameters(paramLabel = "RUN", description = "The run's id (see 'agentrt runs').")
  String runId;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--force",
      description =
          "Resume even if the workflow, an agent or a prompt it uses changed since "
              + "the run started (otherwise refused, naming both hashes).")
  boolean force;

  @Override
  public Integer call() {
    JsonNode in = input.parse();
    try (AgentRuntime rt = config.open()) {
      Runs.requireExists(rt, runId);
      return RunReport.print(
          spec,
          rt.resume(runId, in, ResumeOptions.builder().forceChangedWorkflow(force).build()),
          json);
    }
  }
}
