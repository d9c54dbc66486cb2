package dev.agentrt.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.internal.Engine;
import dev.agentrt.core.internal.Json;
import dev.agentrt.core.internal.ManifestReader;
import dev.agentrt.core.internal.Mermaid;
import dev.agentrt.core.internal.Suggest;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: loads a {@code .agent/} directory, validates all of it, and runs its workflows.
 *
 * <pre>{@code
 * try (AgentRuntime rt = AgentRuntime.builder()
 *     .configDir(Path.of(".agent"))
 *     .function("normalize", (input, ctx) -> TextNode.valueOf(input.get("input.text").asText().trim()))
 *     .build()) {
 *   RunResult r = rt.run("triage", Map.of("text", "  Disk full on db-1  "));
 *   System.out.println(r.status() + " " + r.output());
 * }
 * }</pre>
 *
 * <p>Thread-safe: one runtime serves any number of concurrent runs. Building it reads and checks
 * every file of the directory and reports all problems at once in a {@link ManifestException}.
 *
 * @since 0.1
 */
public final class AgentRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);

  /**
   * The deepest nesting of arrays and objects a run input (or resume input) may have: {@code []} is
   * one level, {@code [[]]} two. A deeper input is refused with an {@link InvalidInputException}
   * before a run starts, as it could be stored but not read back or printed.
   *
   * @since 0.1
   */
  public static final int MAX_INPUT_DEPTH = 100;

  /**
   * The most bytes a run input (or resume input) may take as JSON (UTF-8, without whitespace):
   * 16 MiB. A larger input is refused with an {@link InvalidInputException} before a run starts;
   * pass large data by reference, such as a file path or URL in the input.
   *
   * @since 0.1
   */
  public static final long MAX_INPUT_BYTES = 16L * 1024 * 1024;

  private final Engine engine;
  private final Manifests manifests;

  private AgentRuntime(Engine engine, Manifests manifests) {
    this.engine = engine;
    this.manifests = manifests;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Everything loaded from the configuration directory. */
  public Manifests manifests() {
    return manifests;
  }

  /** The checkpoint store runs are recorded in. */
  public CheckpointStore checkpointStore() {
    return engine.store();
  }

  /**
   * Runs a workflow on the calling thread (parallel branches use other threads) and returns when
   * it has finished or is waiting.
   *
   * @param workflowId the workflow's {@code id:}
   * @param input the run's input: a {@link JsonNode}, a {@code Map}, a record or bean Jackson can
   *     convert, or {@code null} for an empty object
   * @throws AgentrtException if there is no such workflow
   * @throws InvalidInputException if the input does not match the workflow's {@code input.schema},
   *     or is nested deeper than {@link #MAX_INPUT_DEPTH} or larger than {@link #MAX_INPUT_BYTES}
   */
  public RunResult run(String workflowId, @Nullable Object input) {
    return engine.run(Objects.requireNonNull(workflowId, "workflowId"), toJson(input));
  }

  /**
   * Starts a workflow on another thread and returns a handle to wait for or cancel it.
   *
   * @throws InvalidInputException as {@link #run} does, before anything starts
   */
  public RunHandle start(String workflowId, @Nullable Object input) {
    return engine.start(Objects.requireNonNull(workflowId, "workflowId"), toJson(input));
  }

  /**
   * Continues a run that is {@link RunStatus#WAITING}, giving {@code input} to the step it waits at
   * (stored at {@code state.$resume.<node>}); or a run whose owner died while it was
   * {@link RunStatus#RUNNING}. Completed steps are not executed again.
   *
   * @throws RunNotFoundException if the store has no such run, or it has finished
   * @throws InvalidInputException if {@code input} is nested deeper than {@link #MAX_INPUT_DEPTH} or
   *     larger than {@link #MAX_INPUT_BYTES}
   */
  public RunResult resume(String runId, @Nullable Object input) {
    return resume(runId, input, ResumeOptions.defaults());
  }

  /**
   * Like {@link #resume(String, Object)}, with options: {@code forceChangedWorkflow} resumes a run
   * whose workflow changed since it started, which is otherwise refused naming both hashes.
   */
  public RunResult resume(String runId, @Nullable Object input, ResumeOptions options) {
    Objects.requireNonNull(options, "options");
    return engine.resume(Objects.requireNonNull(runId, "runId"), input == null ? null : toJson(input),
        options.forceChangedWorkflow());
  }

  /**
   * Re-walks a recorded run from its step log without executing anything (no function, executor,
   * LLM or tool is called, nothing is written) and returns its steps and, for a completed run, the
   * same output.
   *
   * @throws RunNotFoundException if the store has no such run
   * @throws AgentrtException if the run's workflow changed since it started
   */
  public RunResult replay(String runId) {
    return engine.replay(Objects.requireNonNull(runId, "runId"));
  }

  /**
   * Starts a new run of the same workflow and input that keeps the steps of {@code runId} before
   * {@code stepKey} (in the order of {@link RunResult#steps()}) and executes again from
   * {@code stepKey} on.
   *
   * @throws RunNotFoundException if the store has no such run, or the run no such step
   */
  public RunResult fork(String runId, String stepKey) {
    return engine.fork(Objects.requireNonNull(runId, "runId"), Objects.requireNonNull(stepKey, "stepKey"));
  }

  /** The workflow as a Mermaid {@code graph TD} diagram. */
  public String mermaid(String workflowId) {
    WorkflowSpec wf = manifests.workflow(workflowId).orElseThrow(() -> new AgentrtException(
        "no workflow '" + workflowId + "'" + Suggest.didYouMean(workflowId, manifests.workflows().keySet())
            + " (known: " + String.join(", ", new TreeSet<>(manifests.workflows().keySet())) + ")"));
    return Mermaid.render(wf);
  }

  /** A workflow as a Mermaid {@code graph TD} diagram, without a runtime. */
  public static String mermaid(WorkflowSpec workflow) {
    return Mermaid.render(workflow);
  }

  /** Stops the runtime's threads and closes its checkpoint store. Runs in flight are interrupted. */
  @Override
  public void close() {
    engine.close();
  }

  private static JsonNode toJson(@Nullable Object input) {
    if (input == null) return Json.NODES.objectNode();
    if (input instanceof JsonNode n) return n;
    try {
      return Json.MAPPER.valueToTree(input);
    } catch (IllegalArgumentException e) {
      throw new AgentrtException("the run input cannot be converted to JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Builds an {@link AgentRuntime}. Everything set here wins over what is discovered on the
   * classpath. Not thread-safe.
   */
  public static final class Builder {
    private Path configDir = Path.of(".agent");
    private final Map<String, NodeFunction> functions = new LinkedHashMap<>();
    private final Map<String, NodeExecutor> executors = new LinkedHashMap<>();
    private final List<RunListener> listeners = new ArrayList<>();
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private @Nullable CheckpointStore store;
    private Clock clock = Clock.systemUTC();
    private @Nullable ExecutorService threads;
    private @Nullable Supplier<String> runIds;
    private Function<String, @Nullable String> environment = System::getenv;
    private boolean discovery = true;
    private @Nullable OpenTelemetry openTelemetry;
    private long maxManifestBytes = ManifestReader.DEFAULT_MAX_MANIFEST_BYTES;

    private Builder() {
      ManifestReader.prewarmValidation();
    }

    /** The configuration directory; default {@code .agent} in the working directory. */
    public Builder configDir(Path configDir) {
      this.configDir = Objects.requireNonNull(configDir, "configDir");
      return this;
    }

    /** Registers the Java code that {@code kind: function} nodes with {@code function: name} run. */
    public Builder function(String name, NodeFunction function) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(function, "function");
      if (functions.putIfAbsent(name, function) != null) {
        throw new IllegalArgumentException("function '" + name + "' is registered twice");
      }
      return this;
    }

    /** Registers the executor of a node kind; it wins over a discovered provider of that kind. */
    public Builder nodeExecutor(NodeExecutor executor) {
      Objects.requireNonNull(executor, "executor");
      String kind = Objects.requireNonNull(executor.kind(), "executor.kind()");
      if (ManifestReader.BUILT_IN_KINDS.contains(kind)) {
        throw new IllegalArgumentException("kind '" + kind + "' is built in and cannot be replaced");
      }
      if (executors.putIfAbsent(kind, executor) != null) {
        throw new IllegalArgumentException("two executors registered for kind '" + kind + "': "
            + executors.get(kind).getClass().getName() + ", " + executor.getClass().getName());
      }
      return this;
    }

    /**
     * Registers a tool that {@code kind: tool} nodes (and agents, where their executor supports it)
     * can call. It wins over a tool of the same name discovered through a {@code ToolProvider}.
     * The executors get the tools through {@link ExecutorSetup#tools()}; an executor registered
     * with {@link #nodeExecutor} uses its own tools instead.
     *
     * @throws IllegalArgumentException if a tool of the same name is already registered (the
     *     message names both classes)
     */
    public Builder tool(Tool tool) {
      Objects.requireNonNull(tool, "tool");
      ToolDescriptor d = Objects.requireNonNull(tool.descriptor(), "tool.descriptor()");
      Tool prev = tools.putIfAbsent(d.name(), tool);
      if (prev != null) {
        throw new IllegalArgumentException("two tools registered as '" + d.name() + "': " + prev.getClass().getName()
            + ", " + tool.getClass().getName() + " (rename one, or register only one)");
      }
      return this;
    }

    /** Adds a listener of every run's events. */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The checkpoint store; wins over {@code checkpoint:} in config.yml. The runtime closes it. */
    public Builder checkpointStore(CheckpointStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock for timestamps and budgets; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The threads that run parallel branches, split items and {@link #start} runs. Default: virtual
     * threads on Java 21+, otherwise a pool of daemon threads. The runtime does not shut down an
     * executor given here.
     */
    public Builder executor(ExecutorService executor) {
      this.threads = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** How run ids are made; default: time-ordered random ids. Ids must be unique. */
    public Builder runIds(Supplier<String> runIds) {
      this.runIds = Objects.requireNonNull(runIds, "runIds");
      return this;
    }

    /** Where {@code ${env:X}} looks values up; default {@link System#getenv(String)}. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * The OpenTelemetry instance runs are traced with (spans {@code agentrt.run}, {@code agentrt.node},
     * {@code agentrt.route}, {@code agentrt.checkpoint}). Default: {@link GlobalOpenTelemetry#get()} at
     * {@link #build()}, a no-op unless an SDK was installed; with a no-op instance tracing costs
     * nothing.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * The largest manifest file read from the configuration directory, and the largest file a
     * {@code ${file:...}} reference reads, in bytes; default 1 MiB. A larger file is reported as a
     * problem without being parsed.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     * @since 0.1
     */
    public Builder maxManifestBytes(long bytes) {
      if (bytes <= 0) throw new IllegalArgumentException("maxManifestBytes must be positive, got " + bytes);
      this.maxManifestBytes = bytes;
      return this;
    }

    /** Whether to discover node executors and checkpoint stores with ServiceLoader; default true. */
    public Builder discovery(boolean discovery) {
      this.discovery = discovery;
      return this;
    }

    /**
     * Loads and checks the configuration directory and builds the runtime.
     *
     * @throws ManifestException listing every problem of the directory, each with file, line and
     *     column
     * @throws AgentrtException if two discovered providers claim the same node kind or store name
     */
    public AgentRuntime build() {
      Map<String, NodeExecutorProvider> providers = new HashMap<>();
      List<CheckpointStoreProvider> storeProviders = new ArrayList<>();
      if (discovery) {
        for (NodeExecutorProvider p : ServiceLoader.load(NodeExecutorProvider.class)) {
          NodeExecutorProvider prev = providers.putIfAbsent(p.kind(), p);
          if (prev != null && !executors.containsKey(p.kind())) {
            throw new AgentrtException("two NodeExecutorProviders declare kind '" + p.kind() + "': "
                + prev.getClass().getName() + ", " + p.getClass().getName()
                + " (remove one, or register one with AgentRuntime.builder().nodeExecutor(...))");
          }
          log.debug("discovered NodeExecutorProvider {} for kind '{}'", p.getClass().getName(), p.kind());
        }
        if (store == null) {
          for (CheckpointStoreProvider p : ServiceLoader.load(CheckpointStoreProvider.class)) storeProviders.add(p);
        }
      }
      Set<String> kinds = new HashSet<>(executors.keySet());
      kinds.addAll(providers.keySet());
      ManifestReader reader = new ManifestReader(environment, new ManifestReader.KindCatalog() {
        @Override
        public boolean available(String kind) {
          return kinds.contains(kind);
        }

        @Override
        public Set<String> kinds() {
          return kinds;
        }
      }, functions.keySet(), maxManifestBytes);
      Path dir = configDir.toAbsolutePath().normalize();
      ManifestReader.Result result = reader.read(dir);
      List<ManifestProblem> problems = new ArrayList<>(result.problems());
      Manifests manifests = result.manifests();
      if (manifests == null) throw new ManifestException(problems);

      Map<String, NodeExecutor> used = new HashMap<>();
      Set<ManifestProblem> reported = new HashSet<>(problems);
      if (problems.isEmpty()) {
        List<Tool> toolList = List.copyOf(tools.values());
        OpenTelemetry otel = resolvedOpenTelemetry();
        ExecutorSetup setup = new ExecutorSetup() {
          @Override
          public Manifests manifests() {
            return manifests;
          }

          @Override
          public Path configDir() {
            return dir;
          }

          @Override
          public List<Tool> tools() {
            return toolList;
          }

          @Override
          public OpenTelemetry openTelemetry() {
            return otel;
          }
        };
        for (WorkflowSpec wf : manifests.workflows().values()) {
          for (NodeSpec n : wf.nodes()) {
            String kind = n.kind();
            if (kind == null || ManifestReader.BUILT_IN_KINDS.contains(kind)) continue;
            NodeExecutor ex = used.computeIfAbsent(kind, k -> executors.containsKey(k) ? executors.get(k)
                : providers.get(k).create(setup));
            for (NodeProblem p : ex.validate(n, manifests)) {
              // a problem in config.yml found for every node of a kind is shown once
              ManifestProblem mp = p.isInConfig() ? result.configProblemAt(p.configKey(), p.message())
                  : result.problemAt(wf.id(), n.id(), p.field(), p.message());
              if (reported.add(mp)) problems.add(mp);
            }
          }
        }
      }
      // the store is named (and its name checked) with the rest, but opened only for a configuration
      // without problems: a mistake must not leave a new database file behind
      Supplier<CheckpointStore> opener = store != null ? () -> store : storeOpener(manifests, dir, storeProviders, problems);
      if (!problems.isEmpty()) throw new ManifestException(problems);
      CheckpointStore chosen = opener.get();
      RunListener listener = RunListener.composite(listeners);
      Engine engine = new Engine(manifests, result, Map.copyOf(functions), used, chosen, listener, clock, threads, runIds,
          resolvedOpenTelemetry());
      return new AgentRuntime(engine, manifests);
    }

    private OpenTelemetry resolvedOpenTelemetry() {
      if (openTelemetry == null) openTelemetry = GlobalOpenTelemetry.get();
      return openTelemetry;
    }

    /**
     * What opens the configured checkpoint store, found without opening it; a store name that
     * nothing provides is added to {@code problems} (and the returned opener is not to be called).
     */
    private static Supplier<CheckpointStore> storeOpener(Manifests manifests, Path dir,
        List<CheckpointStoreProvider> providers, List<ManifestProblem> problems) {
      CheckpointSpec spec = manifests.config().checkpoint();
      String name = spec == null ? null : spec.store();
      Map<String, CheckpointStoreProvider> byName = new LinkedHashMap<>();
      for (CheckpointStoreProvider p : providers) {
        CheckpointStoreProvider prev = byName.putIfAbsent(p.name(), p);
        if (prev != null) {
          throw new AgentrtException("two CheckpointStoreProviders declare store '" + p.name() + "': "
              + prev.getClass().getName() + ", " + p.getClass().getName());
        }
      }
      if (name == null) {
        List<CheckpointStoreProvider> durable = new ArrayList<>(byName.values());
        if (durable.size() > 1) {
          throw new AgentrtException("several checkpoint stores are on the classpath (" + String.join(", ", byName.keySet())
              + "); choose one with checkpoint: {store: NAME} in config.yml");
        }
        return durable.isEmpty() ? () -> CheckpointStore.inMemory(10_000) : () -> durable.get(0).open(manifests, dir);
      }
      if (name.equals("memory")) return () -> CheckpointStore.inMemory(10_000);
      if (name.equals("none")) return CheckpointStore::none;
      CheckpointStoreProvider p = byName.get(name);
      if (p == null) {
        Set<String> known = new TreeSet<>(byName.keySet());
        known.add("memory");
        known.add("none");
        String module = name.equals("sqlite") ? " (add dependency dev.agentrt:agent-memory)" : " (known: "
            + String.join(", ", known) + ")";
        problems.add(new ManifestProblem("config.yml", 0, 0, "checkpoint.store: no store '" + name + "' on the classpath" + module));
        return () -> {
          throw new IllegalStateException("no checkpoint store '" + name + "'");
        };
      }
      return () -> p.open(manifests, dir);
    }
  }
}
