package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes a small {@code .agent/} directory into a temporary directory and loads it. */
final class ManifestFixture {
  final Path dir;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> functions = new ArrayList<>();
  private final Map<String, NodeKeys> executorKinds = new java.util.LinkedHashMap<>();
  private long maxManifestBytes = -1;

  ManifestFixture(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code text} to {@code rel} (relative to the configuration directory). */
  ManifestFixture file(String rel, String text) {
    try {
      Path p = dir.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  ManifestFixture config(String text) {
    return file("config.yml", text);
  }

  ManifestFixture agent(String name, String text) {
    return file("agents/" + name + ".yml", text);
  }

  ManifestFixture workflow(String text) {
    return file("workflows/x.yml", text);
  }

  ManifestFixture workflow(String name, String text) {
    return file("workflows/" + name + ".yml", text);
  }

  ManifestFixture env(String name, String value) {
    env.put(name, value);
    return this;
  }

  ManifestFixture function(String name) {
    functions.add(name);
    return this;
  }

  /** Registers an executor for {@code kind} that does nothing. */
  ManifestFixture executor(String kind) {
    return executor(kind, NodeKeys.none());
  }

  /** Registers an executor for {@code kind} that does nothing and owns {@code keys}. */
  ManifestFixture executor(String kind, NodeKeys keys) {
    executorKinds.put(kind, keys);
    return this;
  }

  /** Sets {@link AgentRuntime.Builder#maxManifestBytes}. */
  ManifestFixture maxManifestBytes(long bytes) {
    maxManifestBytes = bytes;
    return this;
  }

  AgentRuntime build() {
    AgentRuntime.Builder b =
        AgentRuntime.builder().configDir(dir).environment(env::get).discovery(false);
    if (maxManifestBytes >= 0) b.maxManifestBytes(maxManifestBytes);
    for (String f : functions) b.function(f, (in, ctx) -> in.value());
    for (Map.Entry<String, NodeKeys> e : executorKinds.entrySet()) {
      String k = e.getKey();
      b.nodeExecutor(
          new NodeExecutor() {
            @Override
            public String kind() {
              return k;
            }

            @Override
            public NodeKeys nodeKeys() {
              return e.getValue();
            }

            @Override
            public NodeOutcome execute(
                dev.agentrt.core.spi.NodeInput input, dev.agentrt.core.spi.NodeContext context) {
              throw new UnsupportedOperationException("not run in manifest tests");
            }
          });
    }
    return b.build();
  }

  /** Loads the directory, which must be valid, and returns what was loaded. */
  Manifests load() {
    try (AgentRuntime rt = build()) {
      return rt.manifests();
    }
  }

  /**
   * Loads the directory, which must be invalid, and returns every problem as {@code file:line:col:
   * message}.
   */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    assertThatThrownBy(this::build)
        .isInstanceOfSatisfying(
            ManifestException.class, e -> e.problems().forEach(p -> out.add(p.toString())));
    return out;
  }

  /**
   * {@code line:column} (1-based) of the {@code occurrence}-th (1-based) occurrence of {@code
   * needle} in {@code text}.
   */
  static String at(String text, String needle, int occurrence) {
    int idx = -1;
    for (int i = 0; i < occurrence; i++) {
      idx = text.indexOf(needle, idx + 1);
      if (idx < 0)
        throw new IllegalArgumentException(
            "'" + needle + "' occurs fewer than " + occurrence + " times");
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < idx; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return line + ":" + (idx - lineStart + 1);
  }

  /** {@code line:column} of the first occurrence of {@code needle}, which must occur once only. */
  static String at(String text, String needle) {
    if (text.indexOf(needle) != text.lastIndexOf(needle)) {
      throw new IllegalArgumentException(
          "'" + needle + "' occurs more than once; say which occurrence");
    }
    return at(text, needle, 1);
  }
}
