package dev.agentrt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs a workflow to its end (or until it waits for input) and prints the result.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "WORKFLOW", description = "The workflow's id.")
  String workflow;

  @Option(names = "--input", paramLabel = "JSON|@FILE",
      description = "The run's input: inline JSON, or @path to a JSON file (default: {}).")
  String input;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    JsonNode in = parseInput();
    try (AgentRuntime rt = config.open()) {
      RunResult result = rt.run(workflow, in);
      var out = spec.commandLine().getOut();
      out.print(json ? RunReport.json(result) + "\n" : RunReport.text(result));
      out.flush();
      return ExitCode.of(result.status());
    }
  }

  private JsonNode parseInput() {
    if (input == null) return RunReport.MAPPER.createObjectNode();
    String text = input;
    String source = "--input";
    if (input.startsWith("@")) {
      Path file = Path.of(input.substring(1));
      source = "--input " + input;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(),
            source + ": cannot read " + file.toAbsolutePath().normalize() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    try {
      JsonNode node = RunReport.MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new ParameterException(spec.commandLine(), source + ": no JSON found (pass an object like '{\"name\":\"Ada\"}', or @file.json)");
      }
      return node;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new ParameterException(spec.commandLine(), source + ": invalid JSON" + where + ": " + e.getOriginalMessage()
          + " (pass an object like '{\"name\":\"Ada\"}', or @file.json)");
    }
  }
}
