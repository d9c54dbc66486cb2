package dev.agentrt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.NodeFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Generates benchmark {@code .agent/} directories. */
final class Workflows {
  private Workflows() {}

  /** A function that does nothing and returns JSON null. */
  static final NodeFunction NOOP = (input, ctx) -> NullNode.getInstance();

  /** A function that sleeps 10 ms: simulated I/O-bound work. */
  static final NodeFunction SLEEP_10MS =
      (input, ctx) -> {
        Thread.sleep(10);
        return NullNode.getInstance();
      };

  /** A new config dir with a config.yml that disables checkpointing. */
  static Path newConfigDir() {
    try {
      Path dir = Files.createTempDirectory("agentrt-bench-");
      Files.createDirectories(dir.resolve("workflows"));
      Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: none}\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * start -> f1 -> ... -> fN -> done, each fi a {@code kind: function} node calling {@code
   * function}.
   */
  static String chain(String id, int length, String function, String kind) {
    StringBuilder y = new StringBuilder();
    y.append("id: ").append(id).append('\n');
    y.append("budget: {max_hops: ").append(length + 10).append("}\n");
    y.append("nodes:\n  - {id: start, role: start}\n");
    for (int i = 1; i <= length; i++) {
      if (kind.equals("function")) {
        y.append("  - {id: f")
            .append(i)
            .append(", kind: function, function: ")
            .append(function)
            .append("}\n");
      } else {
        y.append("  - {id: f")
            .append(i)
            .append(", kind: transform, template: {step: ")
            .append(i)
            .append("}}\n");
      }
    }
    // The exit output is one small node, not the whole state, so the exit step does not copy it.
    y.append("  - {id: done, role: exit, output: \"{{f").append(length).append("}}\"}\n");
    y.append("edges:\n  - {from: start, to: f1}\n");
    for (int i = 1; i < length; i++) {
      y.append("  - {from: f").append(i).append(", to: f").append(i + 1).append("}\n");
    }
    y.append("  - {from: f").append(length).append(", to: done}\n");
    return y.toString();
  }

  /**
   * start -> f1 -> ... -> fN -> ask -> done, each fi a no-op {@code function} node, {@code ask} a
   * no-op function with {@code interrupt: before}: a run waits at {@code ask} after N steps.
   */
  static String chainThenWait(String id, int length, String function) {
    StringBuilder y = new StringBuilder();
    y.append("id: ").append(id).append('\n');
    y.append("budget: {max_hops: ").append(length + 10).append("}\n");
    y.append("nodes:\n  - {id: start, role: start}\n");
    for (int i = 1; i <= length; i++) {
      y.append("  - {id: f")
          .append(i)
          .append(", kind: function, function: ")
          .append(function)
          .append("}\n");
    }
    y.append("  - {id: ask, kind: function, function: ")
        .append(function)
        .append(", interrupt: before}\n");
    y.append("  - {id: done, role: exit, output: {ok: true}}\n");
    y.append("edges:\n");
    String prev = "start";
    for (int i = 1; i <= length; i++) {
      y.append("  - {from: ").append(prev).append(", to: f").append(i).append("}\n");
      prev = "f" + i;
    }
    y.append("  - {from: ").append(prev).append(", to: ask}\n");
    y.append("  - {from: ask, to: done}\n");
    return y.toString();
  }

  /** start -> fan (branch) -> b1..bN (function) -> m (merge) -> done. */
  static String fanOut(String id, int width, String function) {
    StringBuilder y = new StringBuilder();
    y.append("id: ").append(id).append('\n');
    y.append("budget: {max_hops: ").append(width + 10).append("}\n");
    y.append("nodes:\n  - {id: start, role: start}\n  - {id: fan, role: branch}\n");
    for (int i = 1; i <= width; i++) {
      y.append("  - {id: b")
          .append(i)
          .append(", kind: function, function: ")
          .append(function)
          .append("}\n");
    }
    y.append("  - {id: m, role: merge}\n  - {id: done, role: exit, output: {ok: true}}\n");
    y.append("edges:\n  - {from: start, to: fan}\n");
    for (int i = 1; i <= width; i++) {
      y.append("  - {from: fan, to: b").append(i).append("}\n");
      y.append("  - {from: b").append(i).append(", to: m}\n");
    }
    y.append("  - {from: m, to: done}\n");
    return y.toString();
  }

  static void write(Path configDir, String id, String yaml) {
    try {
      Files.writeString(configDir.resolve("workflows").resolve(id + ".yml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A run input object with {@code keys} string entries. */
  static JsonNode input(int keys) {
    ObjectNode in = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < keys; i++) in.put("key" + i, "value-" + i);
    return in;
  }

  static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
