package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.spi.JsonSchemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One manifest file being read: its located tree, its bytes, and the problems found in it. A file
 * of the configuration directory is read from {@code path}; a manifest built in Java ({@link
 * dev.agentrt.core.Workflow}, {@link dev.agentrt.core.Agent}) is the YAML text it renders, and its
 * problems are located at the builder calls instead of lines of that text.
 */
final class ManifestFile {
  final String rel;
  final @Nullable Path path;

  /** The text of a manifest built in code, read instead of {@code path}; null for a real file. */
  final @Nullable String source;

  /** Where a problem at a line of {@code source} is reported; null for a real file. */
  final @Nullable SourceMap sourceMap;

  LocatedTree tree = LocatedTree.read("", new ArrayList<>());
  byte[] bytes = new byte[0];
  final List<ManifestProblem> problems;

  /**
   * Pointers of the mappings that had an unknown key (likely a misspelt key the later checks would
   * miss).
   */
  final Set<String> withUnknownKey = new HashSet<>();

  ManifestFile(String rel, Path path, List<ManifestProblem> problems) {
    this.rel = rel;
    this.path = path;
    this.source = null;
    this.sourceMap = null;
    this.problems = problems;
  }

  /** A manifest built in code: {@code source} is its YAML, {@code map} locates its problems. */
  ManifestFile(String rel, String source, SourceMap map, List<ManifestProblem> problems) {
    this.rel = rel;
    this.path = null;
    this.source = source;
    this.sourceMap = map;
    this.problems = problems;
  }

  /** Whether the manifest was built in code rather than read from a file. */
  boolean inCode() {
    return source != null;
  }

  /** The problem {@code message} at a line and column of this file's text. */
  ManifestProblem at(int line, int column, String message) {
    SourceMap map = sourceMap;
    return map == null
        ? new ManifestProblem(rel, line, column, message)
        : map.problem(tree, line, message);
  }

  /** A problem at the value at {@code pointer} (or its nearest ancestor in the file). */
  void problem(String pointer, String message) {
    int[] loc = tree.locate(pointer);
    problems.add(at(loc[0], loc[1], message));
  }

  /** A problem at the key of the value at {@code pointer} (a misspelt or duplicate key). */
  void problemAtKey(String pointer, String message) {
    int[] loc = tree.locateKey(pointer);
    problems.add(at(loc[0], loc[1], message));
  }

  void problemAtLine(int line, int col, String message) {
    problems.add(at(line, col, message));
  }

  /**
   * A JSON Schema in a manifest is checked against the draft 2020-12 meta-schema at load (a
   * misspelt {@code type: obj} would otherwise surface only when a value is validated, after the
   * run or the model was paid for); each problem is located at the offending value.
   */
  void checkSchema(String pointer, String subject, JsonNode schema) {
    for (JsonSchemas.Problem p : JsonSchemas.problems(schema)) {
      problem(pointer + p.pointer(), subject + " is not a valid JSON Schema (draft 2020-12): " + p);
    }
  }
}
