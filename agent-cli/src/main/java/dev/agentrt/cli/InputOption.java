package dev.agentrt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --input JSON|@file}, shared by {@code run} and {@code resume}. */
final class InputOption {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--input", paramLabel = "JSON|@FILE",
      description = "Inline JSON, or @path to a JSON file (default: {}).")
  String input;

  /** The parsed input, {@code {}} if none was given; a {@link ParameterException} says what is wrong with it. */
  JsonNode parse() {
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
