package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs a workflow to its end (or until it waits for input) and prints the result.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin InputOption input;

  @Parameters(paramLabel = "WORKFLOW", description = "The workflow's id.")
  String workflow;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    JsonNode in = input.parse();
    try (AgentRuntime rt = config.open()) {
      return RunReport.print(spec, rt.run(workflow, in), json);
    }
  }
}
