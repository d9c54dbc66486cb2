package dev.agentrt.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.AgentRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --input JSON|@file}, shared by {@code run} and {@code resume}: exactly one JSON value,
 * nested at most {@link AgentRuntime#MAX_INPUT_DEPTH} levels and at most {@link
 * AgentRuntime#MAX_INPUT_BYTES} long; an {@code @file} must be a regular file.
 */
final class InputOption {
  private static final String EXAMPLE =
      " (pass an object like '{\"name\":\"Ada\"}', or @file.json)";

  /** Refuses deeper input while parsing, before a tree is built. */
  private static final ObjectMapper PARSER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(AgentRuntime.MAX_INPUT_DEPTH)
                      .build())
              .build());

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      description = "Inline JSON, or @path to a JSON file (default: {}).")
  @Nullable String input;

  /**
   * The parsed input, {@code {}} if none was given; a {@link ParameterException} says what is wrong
   * with it.
   */
  JsonNode parse() {
    if (input == null) return RunReport.MAPPER.createObjectNode();
    if (input.startsWith("@")) return parse("--input " + input, read(input.substring(1)));
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > AgentRuntime.MAX_INPUT_BYTES)
      throw error("--input: " + tooLarge(bytes.length));
    return parse("--input", bytes);
  }

  /** The bytes of a regular file, read without blocking on a pipe and never more than the limit. */
  private byte[] read(String name) {
    String source = "--input @" + name;
    Path file;
    try {
      file = Path.of(name);
    } catch (InvalidPathException e) {
      throw error(source + ": not a valid path (" + e.getReason() + ")");
    }
    Path shown = file.toAbsolutePath().normalize();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw error(source + ": cannot read " + shown + " (" + e.getClass().getSimpleName() + ")");
    }
    if (!attributes.isRegularFile()) {
      throw error(
          source
              + ": "
              + shown
              + " is not a regular file ("
              + (attributes.isDirectory() ? "a directory" : "a device, pipe or socket")
              + "); pass a JSON file, or the JSON itself");
    }
    if (attributes.size() > AgentRuntime.MAX_INPUT_BYTES)
      throw error(source + ": " + tooLarge(attributes.size()));
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) AgentRuntime.MAX_INPUT_BYTES + 1);
      if (bytes.length > AgentRuntime.MAX_INPUT_BYTES)
        throw error(source + ": " + tooLarge(bytes.length));
      return bytes;
    } catch (NoSuchFileException e) {
      throw error(source + ": cannot read " + shown + " (NoSuchFileException)");
    } catch (IOException e) {
      throw error(source + ": cannot read " + shown + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String tooLarge(long bytes) {
    return String.format(
        Locale.ROOT,
        "the input is %.1f MiB, more than the %d MiB an input may be; pass large data "
            + "by reference (such as a file path or URL in the input)",
        bytes / 1048576.0,
        AgentRuntime.MAX_INPUT_BYTES / 1048576);
  }

  /**
   * Exactly one JSON value: no text after it, nested at most {@link AgentRuntime#MAX_INPUT_DEPTH}
   * levels.
   */
  private JsonNode parse(String source, byte[] bytes) {
    JsonParser p = null;
    try {
      p = PARSER.createParser(bytes);
      JsonNode node = PARSER.readTree(p);
      if (node == null || node.isMissingNode()) throw error(source + ": no JSON found" + EXAMPLE);
      JsonLocation after = p.currentLocation();
      boolean trailing;
      try {
        trailing = p.nextToken() != null;
      } catch (JsonProcessingException e) {
        trailing = true;
      }
      if (trailing) {
        throw error(
            source
                + ": unexpected text after the JSON value at line "
                + after.getLineNr()
                + ", column "
                + after.getColumnNr()
                + "; pass exactly one JSON value"
                + EXAMPLE);
      }
      return node;
    } catch (JsonProcessingException e) {
      // a limit (depth, number or string length) has no location of its own: the token being read
      // is where
      JsonLocation loc =
          e.getLocation() != null ? e.getLocation() : p == null ? null : p.currentTokenLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      if (e instanceof StreamConstraintsException
          && e.getOriginalMessage().contains("getMaxNestingDepth()")) {
        throw error(
            source
                + ": the JSON is nested more than "
                + AgentRuntime.MAX_INPUT_DEPTH
                + " levels deep"
                + where
                + "; at most "
                + AgentRuntime.MAX_INPUT_DEPTH
                + " levels of arrays and objects are accepted (flatten it)");
      }
      throw error(source + ": invalid JSON" + where + ": " + e.getOriginalMessage() + EXAMPLE);
    } catch (IOException e) {
      throw error(source + ": cannot read the JSON (" + e.getClass().getSimpleName() + ")");
    } finally {
      if (p != null) {
        try {
          p.close();
        } catch (IOException e) {
          // closing a parser over a byte array cannot fail in a way that matters here
        }
      }
    }
  }

  private ParameterException error(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
