package dev.agentrt.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.testkit.internal.RunCalls;
import dev.agentrt.testkit.internal.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link AgentRuntime} wired for tests from a configuration directory, without touching
 * the directory or the working directory: the configuration is copied into a temporary directory,
 * and the copy's {@code config.yml} is changed so that
 *
 * <ul>
 *   <li>runs are kept in memory ({@link TestStore#MEMORY}, the default) or in a SQLite file of the
 *       temporary directory ({@link TestStore#SQLITE});
 *   <li>memory ({@code memory:} scopes on the {@code sqlite} or {@code jsonl} backend) lives in the
 *       temporary directory (with {@link TestStore#SQLITE}, {@code sqlite} memory shares the runs'
 *       database, as it does by default in production);
 *   <li>the file tools' workspace ({@code policy.workspace}) is a copy of {@link
 *       Builder#workspace(Path)}, or an empty directory;
 *   <li>models named with {@link Builder#script(String, String)} replay a script instead of calling
 *       their provider (their {@code pricing:} still applies, so cost can be asserted).
 * </ul>
 *
 * <p>The clock is fixed ({@link #DEFAULT_CLOCK}) unless {@link Builder#clock(Clock)} says
 * otherwise. The runtime is a real one: the same validation, engine, stores and executors as in
 * production. Runs of it can be asserted with {@code AgentAssertions}, tool calls included.
 *
 * <pre>{@code
 * try (AgentRuntime rt = AgentTestRuntime.builder(Path.of(".agent"), tempDir)
 *     .script("default", "scripts/review.yml")
 *     .build()) {
 *   assertThat(rt.run("review", Map.of("text", "..."))).isCompleted();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class AgentTestRuntime {
  /** The clock of a test runtime unless told otherwise: fixed at 2026-01-01T00:00:00Z, UTC. */
  public static final Clock DEFAULT_CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private AgentTestRuntime() {}

  /**
   * A builder for a runtime on a copy of {@code configDir}, made in {@code tempDir} (which the
   * caller creates and deletes, such as a JUnit {@code @TempDir}).
   */
  public static Builder builder(Path configDir, Path tempDir) {
    return new Builder(configDir, tempDir);
  }

  /** Builds a test runtime. Not thread-safe. */
  public static final class Builder {
    private final Path configDir;
    private final Path tempDir;
    private TestStore store = TestStore.MEMORY;
    private @Nullable Path workspace;
    private Clock clock = DEFAULT_CLOCK;
    private final Map<String, String> scripts = new LinkedHashMap<>();
    private final Map<String, Object> models = new LinkedHashMap<>();
    private Consumer<AgentRuntime.Builder> customizer = b -> {};
    private Consumer<ObjectNode> configEdits = c -> {};

    private Builder(Path configDir, Path tempDir) {
      this.configDir = Objects.requireNonNull(configDir, "configDir");
      this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
    }

    /** Where runs are kept; default {@link TestStore#MEMORY}. */
    public Builder store(TestStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * A directory copied into the temporary directory to be the file tools' workspace ({@code
     * policy.workspace}); by default the workspace is an empty directory.
     */
    public Builder workspace(Path source) {
      this.workspace = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The runtime's clock; default {@link AgentTestRuntime#DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes model {@code model} (a key of {@code config.yml}'s {@code models:}) replay {@code
     * script} (a path relative to the configuration directory, in the format of the {@code
     * scripted} provider) instead of calling its provider.
     */
    public Builder script(String model, String script) {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(script, "script");
      scripts.put(model, script);
      return this;
    }

    /**
     * Registers a model instance for {@code models.<name>} (such as a {@code
     * dev.agentrt.llm.ScriptedModel}); see {@code AgentRuntime.Builder.model}.
     */
    public Builder model(String name, Object model) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(model, "model");
      if (models.putIfAbsent(name, model) != null) {
        throw new IllegalArgumentException("model '" + name + "' is registered twice");
      }
      return this;
    }

    /**
     * Edits the copy's {@code config.yml} (as a JSON tree) after the test wiring, such as a tool's
     * command under {@code policy.tools}; the edited configuration is validated as any other.
     */
    public Builder editConfig(Consumer<ObjectNode> edit) {
      this.configEdits = this.configEdits.andThen(Objects.requireNonNull(edit, "edit"));
      return this;
    }

    /**
     * Changes the runtime builder before it builds: register functions, tools, listeners. Called
     * once, after the test wiring, so what it sets wins.
     */
    public Builder customize(Consumer<AgentRuntime.Builder> customizer) {
      this.customizer = this.customizer.andThen(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /**
     * Copies the configuration, rewrites its {@code config.yml} for the test, and builds the
     * runtime.
     *
     * @throws IllegalArgumentException if the configuration directory or the workspace does not
     *     exist, or a scripted model is not in {@code models:}
     * @throws dev.agentrt.core.manifest.ManifestException if the configuration is invalid, as
     *     {@link AgentRuntime.Builder#build()}
     */
    public AgentRuntime build() {
      return buildIn().runtime();
    }

    /** The runtime with the directories it was made in. */
    record Built(AgentRuntime runtime, Path configDir, Path workspace) {}

    /** A runtime on a configuration copy already prepared. */
    AgentRuntime open(Path config) {
      RunCalls.Tracker tracker = RunCalls.tracker();
      AgentRuntime.Builder b =
          AgentRuntime.builder().configDir(config).clock(clock).listener(tracker);
      models.forEach(b::model);
      customizer.accept(b);
      AgentRuntime rt = b.build();
      tracker.bind(rt);
      return rt;
    }

    Built buildIn() {
      if (!Files.isDirectory(configDir)) {
        throw new IllegalArgumentException(
            "configuration directory " + configDir.toAbsolutePath() + " does not exist");
      }
      if (workspace != null && !Files.isDirectory(workspace)) {
        throw new IllegalArgumentException(
            "workspace " + workspace.toAbsolutePath() + " does not exist (a directory to copy)");
      }
      Path root;
      Path config;
      Path work;
      try {
        root = Files.createTempDirectory(Files.createDirectories(tempDir), "agentrt-");
        config = Trees.copy(configDir, root.resolve("config"));
        work =
            workspace == null
                ? Files.createDirectories(root.resolve("workspace"))
                : Trees.copy(workspace, root.resolve("workspace"));
        rewriteConfig(config, root, work);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the test configuration in " + tempDir, e);
      }
      return new Built(open(config), config, work);
    }

    private void rewriteConfig(Path config, Path root, Path work) throws IOException {
      Path file = config.resolve("config.yml");
      JsonNode read = Files.isRegularFile(file) ? YAML.readTree(file.toFile()) : null;
      ObjectNode yml = read instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();

      ObjectNode checkpoint = object(yml, "checkpoint");
      checkpoint.remove("path");
      if (store == TestStore.SQLITE) {
        checkpoint.put("store", "sqlite").put("path", root.resolve("runs.db").toString());
      } else {
        checkpoint.put("store", "memory");
      }

      object(yml, "policy").put("workspace", work.toString());

      ObjectNode memory = object(yml, "memory");
      for (String scope : new String[] {"task", "project", "global"}) {
        ObjectNode s = object(memory, scope);
        String backend = s.path("backend").asText("sqlite");
        // sqlite memory shares the runs' database when runs are in SQLite, as in production
        if (backend.equals("sqlite") && store == TestStore.SQLITE) s.remove("path");
        else if (backend.equals("sqlite")) s.put("path", root.resolve("memory.db").toString());
        else if (backend.equals("jsonl")) s.put("path", root.resolve("memory-" + scope).toString());
      }

      ObjectNode modelsNode = object(yml, "models");
      for (Map.Entry<String, String> e : scripts.entrySet()) {
        JsonNode old = modelsNode.path(e.getKey());
        if (!old.isObject()) {
          throw new IllegalArgumentException(
              "cannot script model '"
                  + e.getKey()
                  + "': config.yml has no models."
                  + e.getKey()
                  + " (models: "
                  + String.join(", ", iterable(modelsNode))
                  + ")");
        }
        ObjectNode scripted = JsonNodeFactory.instance.objectNode();
        scripted.put("provider", "scripted").put("script", e.getValue());
        if (old.has("pricing")) scripted.set("pricing", old.get("pricing"));
        modelsNode.set(e.getKey(), scripted);
      }
      if (modelsNode.isEmpty()) yml.remove("models");
      configEdits.accept(yml);
      Files.writeString(file, YAML.writeValueAsString(yml));
    }

    private static ObjectNode object(ObjectNode parent, String key) {
      JsonNode n = parent.get(key);
      if (n instanceof ObjectNode o) return o;
      return parent.putObject(key);
    }

    private static Iterable<String> iterable(ObjectNode node) {
      return node::fieldNames;
    }
  }
}
