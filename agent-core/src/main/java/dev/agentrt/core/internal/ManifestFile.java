package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.spi.JsonSchemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One manifest file being read: its located tree, its bytes, and the problems found in it. */
final class ManifestFile {
  final String rel;
  final Path path;
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
    this.problems = problems;
  }

  /** A problem at the value at {@code pointer} (or its nearest ancestor in the file). */
  void problem(String pointer, String message) {
    int[] loc = tree.locate(pointer);
    problems.add(new ManifestProblem(rel, loc[0], loc[1], message));
  }

  /** A problem at the key of the value at {@code pointer} (a misspelt or duplicate key). */
  void problemAtKey(String pointer, String message) {
    int[] loc = tree.locateKey(pointer);
    problems.add(new ManifestProblem(rel, loc[0], loc[1], message));
  }

  void problemAtLine(int line, int col, String message) {
    problems.add(new ManifestProblem(rel, line, col, message));
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
