package dev.agentrt.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.internal.Claimer;
import dev.agentrt.core.internal.Engine;
import dev.agentrt.core.internal.Json;
import dev.agentrt.core.internal.ManifestReader;
import dev.agentrt.core.internal.Mermaid;
import dev.agentrt.core.internal.ProvidedFunctions;
import dev.agentrt.core.internal.RunGate;
import dev.agentrt.core.internal.RuntimeMemory;
import dev.agentrt.core.internal.RuntimeResources;
import dev.agentrt.core.internal.StoreOpener;
import dev.agentrt.core.internal.Suggest;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.MemoryStoreProvider;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.Plugins;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.Sleeper;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolBus;
import dev.agentrt.core.spi.ToolDescriptor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
   * The most bytes a run input (or resume input) may take as JSON (UTF-8, without whitespace): 16
   * MiB. A larger input is refused with an {@link InvalidInputException} before a run starts; pass
   * large data by reference, such as a file path or URL in the input.
   *
   * @since 0.1
   */
  public static final long MAX_INPUT_BYTES = 16L * 1024 * 1024;

  /**
   * How long {@link #close()} waits by default for runs in flight to end: 10 seconds.
   *
   * @since 0.1
   */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final Engine engine;
  private final Manifests manifests;
  private final RuntimeResources resources;
  private final Duration closeTimeout;
  private final RunGate gate = new RunGate();
  private final List<Worker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final RuntimeMemory memory;
  private final Supplier<List<ToolDescriptor>> loadedTools;

  private AgentRuntime(
      Engine engine,
      Manifests manifests,
      RuntimeResources resources,
      RuntimeMemory memory,
      Duration closeTimeout,
      Supplier<List<ToolDescriptor>> loadedTools) {
    this.engine = engine;
    this.loadedTools = loadedTools;
    this.manifests = manifests;
    this.resources = resources;
    this.memory = memory;
    this.closeTimeout = closeTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Everything loaded from the configuration directory. */
  public Manifests manifests() {
    return manifests;
  }

  /**
   * The capability registry: every agent, every tool of the runtime's tool bus and the workflow
   * nodes, each with its description and the capability tags it provides (see {@link
   * Capabilities}). The tool bus is created if it was not yet; without one that can be created
   * (agent-tools not on the class path, or {@code policy:} problems) the tools are those known when
   * the configuration was loaded: those registered with {@link Builder#tool} and those discovered
   * through {@link dev.agentrt.core.spi.ToolProvider}.
   *
   * @throws IllegalStateException if the runtime is closed and its tool bus was not created yet
   * @since 0.1
   */
  public Capabilities capabilities() {
    return Capabilities.of(manifests, resources.toolDescriptors(loadedTools));
  }

  /**
   * The names of the model instances registered with {@link Builder#model(String, Object)}, in
   * registration order, each with its class name (a registered model replaces the provider of a
   * {@code models:} entry of the same name).
   *
   * @since 0.1
   */
  public Map<String, String> registeredModels() {
    Map<String, String> out = new LinkedHashMap<>();
    resources.models().forEach((name, model) -> out.put(name, model.getClass().getName()));
    return Collections.unmodifiableMap(out);
  }

  /** The checkpoint store runs are recorded in. */
  public CheckpointStore checkpointStore() {
    return engine.store();
  }

  /**
   * The runtime's memory: each space is kept by the backend {@code config.yml}'s {@code memory:}
   * names for its scope ({@code sqlite} when it names none), opened on first use and closed with
   * the runtime. Spaces: {@link #memorySpace(MemoryScope)} for the project and global ones, {@link
   * MemorySpace#task(String)} for a run's.
   *
   * <pre>{@code
   * MemorySpace project = rt.memorySpace(MemoryScope.PROJECT);
   * rt.memory().put(project, MemoryWrite.of("db-1", "db-1 runs PostgreSQL 15"));
   * List<MemoryHit> hits = rt.memory().search(MemoryQuery.of("which database?", project));
   * }</pre>
   *
   * @throws MemoryException if no memory backend is on the class path (add {@code
   *     dev.agentrt:agent-memory})
   * @since 0.1
   */
  public MemoryStore memory() {
    if (!memory.available()) {
      throw new MemoryException(
          "no memory backend on the class path (add dependency dev.agentrt:agent-memory, or"
              + " register one with AgentRuntime.builder().memoryBackend(...))");
    }
    return memory;
  }

  /**
   * This runtime's space of {@code scope}: {@link MemoryScope#PROJECT} is owned by the name of the
   * directory holding the configuration directory (for {@code /home/me/shop/.agent}: {@code shop}),
   * {@link MemoryScope#GLOBAL} is the one global space. A run's task space is {@link
   * MemorySpace#task(String) MemorySpace.task(runId)}.
   *
   * @throws IllegalArgumentException for {@link MemoryScope#TASK}, which belongs to a run
   * @since 0.1
   */
  public MemorySpace memorySpace(MemoryScope scope) {
    return switch (Objects.requireNonNull(scope, "scope")) {
      case TASK ->
          throw new IllegalArgumentException(
              "a task space belongs to one run: use MemorySpace.task(runId)");
      case PROJECT -> MemorySpace.project(memory.projectId());
      case GLOBAL -> MemorySpace.global();
    };
  }

  /**
   * Runs a workflow on the calling thread (parallel branches use other threads) and returns when it
   * has finished or is waiting.
   *
   * @param workflowId the workflow's {@code id:}
   * @param input the run's input: a {@link JsonNode}, a {@code Map}, a record or bean Jackson can
   *     convert, or {@code null} for an empty object
   * @throws AgentrtException if there is no such workflow
   * @throws InvalidInputException if the input does not match the workflow's {@code input.schema},
   *     or is nested deeper than {@link #MAX_INPUT_DEPTH} or larger than {@link #MAX_INPUT_BYTES}
   * @throws IllegalStateException if the runtime is closed
   */
  public RunResult run(String workflowId, @Nullable Object input) {
    return run(workflowId, input, RunOptions.defaults());
  }

  /**
   * Like {@link #run(String, Object)}, with {@code options}: the run's id, labels, limits, a
   * listener of this run only, and a deadline.
   *
   * @throws IllegalArgumentException if the options' run id is used by a run of the store
   * @throws AgentrtException if there is no such workflow
   * @throws InvalidInputException as {@link #run(String, Object)} does
   * @throws IllegalStateException if the runtime is closed
   * @since 0.1
   */
  public RunResult run(String workflowId, @Nullable Object input, RunOptions options) {
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(options, "options");
    return admitted(() -> engine.run(workflowId, toJson(input), options));
  }

  /**
   * Starts a workflow on another thread and returns a handle to wait for or cancel it.
   *
   * @throws InvalidInputException as {@link #run} does, before anything starts
   * @throws IllegalStateException if the runtime is closed
   */
  public RunHandle start(String workflowId, @Nullable Object input) {
    return start(workflowId, input, RunOptions.defaults());
  }

  /**
   * Like {@link #start(String, Object)}, with {@code options} (see {@link #run(String, Object,
   * RunOptions)}).
   *
   * @throws IllegalArgumentException if the options' run id is used by a run of the store
   * @throws InvalidInputException as {@link #run} does, before anything starts
   * @throws IllegalStateException if the runtime is closed
   * @since 0.1
   */
  public RunHandle start(String workflowId, @Nullable Object input, RunOptions options) {
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(options, "options");
    gate.enter();
    try {
      RunHandle h = engine.start(workflowId, toJson(input), options);
      h.toCompletableFuture().whenComplete((r, e) -> gate.exit());
      return h;
    } catch (RuntimeException | Error e) {
      gate.exit();
      throw e;
    }
  }

  /**
   * Puts a run on the queue and returns at once: the run is stored as {@link RunStatus#QUEUED}
   * (surviving a restart when the store is durable) and starts when one of the runtime's {@code
   * scheduler.max_concurrency} slots is free, the highest {@link RunOptions.Builder#priority}
   * first, first come first served within one. The handle waits for the run's end or cancels it; a
   * run cancelled while queued ends {@link RunStatus#CANCELLED} without executing a step. A run
   * queued here that another engine sharing the store executes completes the handle when the store
   * shows it ended.
   *
   * @throws QueueFullException if {@code scheduler.max_queue_size} runs wait already and {@code
   *     on_full} is {@code reject} (with {@code block} this waits for room)
   * @throws InvalidInputException as {@link #run} does, before anything is stored
   * @throws IllegalArgumentException if the options' run id is used by a run of the store
   * @throws IllegalStateException if the runtime is closed
   * @since 0.1
   */
  public RunHandle enqueue(String workflowId, @Nullable Object input, RunOptions options) {
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(options, "options");
    gate.enter();
    try {
      RunHandle h = engine.enqueue(workflowId, toJson(input), options);
      if (options.leftToWorkers()) gate.exit(); // nothing of it executes here: close need not wait
      else h.toCompletableFuture().whenComplete((r, e) -> gate.exit());
      return h;
    } catch (RuntimeException | Error e) {
      gate.exit();
      throw e;
    }
  }

  /**
   * {@link #enqueue(String, Object, RunOptions)} with default options.
   *
   * @since 0.1
   */
  public RunHandle enqueue(String workflowId, @Nullable Object input) {
    return enqueue(workflowId, input, RunOptions.defaults());
  }

  /**
   * Starts a worker that claims runs from the checkpoint store's queue and executes at most {@code
   * concurrency} of them at once, looking for work every 250 ms when the queue is empty. See {@link
   * Worker}; the runtime's {@link #close()} drains it.
   *
   * @throws IllegalStateException if the store has no queue ({@code checkpoint.store: none}, or a
   *     store that does not implement one), or the runtime is closed
   * @throws IllegalArgumentException if {@code concurrency} is below 1
   * @since 0.1
   */
  public Worker worker(int concurrency) {
    return worker(concurrency, Duration.ofMillis(250));
  }

  /**
   * {@link #worker(int)} looking for work every {@code pollInterval} while the queue is empty.
   *
   * @since 0.1
   */
  public Worker worker(int concurrency, Duration pollInterval) {
    Objects.requireNonNull(pollInterval, "pollInterval");
    return startClaimer("agentrt-worker", concurrency, pollInterval, false);
  }

  /**
   * Continues the runs of the store whose owner died ({@link RunStatus#RUNNING}, lease expired or
   * released) and starts its queued runs, through the scheduler's limits, in the background; what
   * config.yml's {@code checkpoint.recover_on_start: true} does when the runtime is built. A run
   * whose owner's lease has not expired yet is left to it. The returned worker stops claiming once
   * the queue is empty; {@link Worker#awaitIdle} waits for the runs it found.
   *
   * @throws IllegalStateException if the store has no queue, or the runtime is closed
   * @since 0.1
   */
  public Worker recoverOrphaned() {
    return startClaimer("agentrt-recovery", recoveryConcurrency(), Duration.ZERO, true);
  }

  private int recoveryConcurrency() {
    var spec = manifests.config().scheduler();
    return spec != null && spec.maxConcurrency() != null ? spec.maxConcurrency() : 16;
  }

  private Worker startClaimer(
      String name, int concurrency, Duration pollInterval, boolean stopWhenEmpty) {
    if (!engine.store().hasQueue()) {
      throw new IllegalStateException(
          "the checkpoint store "
              + engine.store().getClass().getName()
              + " has no run queue: workers and recovery need the in-memory, SQLite or PostgreSQL"
              + " store (checkpoint.store in config.yml)");
    }
    gate.enter();
    try {
      Worker w =
          new Worker(
              new Claimer(engine, name, concurrency, pollInterval, stopWhenEmpty).start(),
              closeTimeout);
      workers.add(w);
      return w;
    } finally {
      gate.exit();
    }
  }

  /**
   * Continues a run that is {@link RunStatus#WAITING}, giving {@code input} to the step it waits at
   * (stored at {@code state.$resume.<node>}); or a run whose owner died while it was {@link
   * RunStatus#RUNNING}. Completed steps are not executed again. By what the run waits for:
   *
   * <ul>
   *   <li>{@code interrupt: before} a node: the node runs and reads {@code input} at {@code
   *       $resume.<node>}; with {@code input} null it runs too, and {@code $resume.<node>} is JSON
   *       null.
   *   <li>{@code interrupt: after} a node: the run continues past the node, whose output is not
   *       computed again, and later nodes read {@code input} at {@code $resume.<node>}; with {@code
   *       input} null the run waits there again.
   *   <li>an effect that may or may not have happened (reason {@link
   *       FailureReason#INDETERMINATE_EFFECT}): {@code {"effect": "retry"|"skip"|"fail"}} decides;
   *       with {@code input} null the step runs again and waits again.
   *   <li>a router with {@code fallback: ask}: {@code {"choice": "<edge>"}} takes that edge; with
   *       {@code input} null it waits again.
   *   <li>a run that is not waiting ({@code RUNNING}, its owner dead): {@code input} is ignored and
   *       the run continues from its last checkpoint; an interrupt it had reached still waits.
   * </ul>
   *
   * Several steps waiting at once (parallel branches) each receive the same {@code input}.
   *
   * @throws RunNotFoundException if the store has no such run, or it has finished
   * @throws InvalidInputException if {@code input} is nested deeper than {@link #MAX_INPUT_DEPTH}
   *     or larger than {@link #MAX_INPUT_BYTES}
   * @throws IllegalStateException if the runtime is closed
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
    Objects.requireNonNull(runId, "runId");
    return admitted(
        () ->
            engine.resume(
                runId, input == null ? null : toJson(input), options.forceChangedWorkflow()));
  }

  /**
   * Re-walks a recorded run from its step log without executing anything (no function, executor,
   * LLM or tool is called, nothing is written) and returns its steps and, for a completed run, the
   * same output.
   *
   * @throws RunNotFoundException if the store has no such run
   * @throws AgentrtException if the run's workflow changed since it started
   * @throws IllegalStateException if the runtime is closed
   */
  public RunResult replay(String runId) {
    Objects.requireNonNull(runId, "runId");
    return admitted(() -> engine.replay(runId));
  }

  /**
   * Starts a new run of the same workflow and input that keeps the steps of {@code runId} before
   * {@code stepKey} (in the order of {@link RunResult#steps()}) and executes again from {@code
   * stepKey} on.
   *
   * @throws RunNotFoundException if the store has no such run, or the run no such step
   * @throws IllegalStateException if the runtime is closed
   */
  public RunResult fork(String runId, String stepKey) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(stepKey, "stepKey");
    return admitted(() -> engine.fork(runId, stepKey));
  }

  /**
   * Adds a listener of every run's events from now on, beside those given to {@link
   * Builder#listener}: for tools attached to a running runtime, such as the inspector. Events are
   * delivered on the threads that run the steps, as to the builder's listeners; a listener that
   * throws is logged and ignored. Closing the returned registration removes the listener (a second
   * close does nothing).
   *
   * @since 0.1
   */
  public ListenerRegistration addListener(RunListener listener) {
    Objects.requireNonNull(listener, "listener");
    Runnable remove = engine.listeners().add(listener);
    return remove::run;
  }

  /**
   * A listener added by {@link #addListener}; {@link #close()} removes it.
   *
   * @since 0.1
   */
  @FunctionalInterface
  public interface ListenerRegistration extends AutoCloseable {
    /** Removes the listener; idempotent. */
    @Override
    void close();
  }

  /** The workflow as a Mermaid {@code graph TD} diagram. */
  public String mermaid(String workflowId) {
    return mermaid(manifests, workflowId);
  }

  /**
   * A workflow of loaded manifests ({@link dev.agentrt.core.manifest.ManifestLoader}) as a Mermaid
   * {@code graph TD} diagram, without a runtime.
   *
   * @throws AgentrtException if there is no such workflow (the message lists the known ones)
   * @since 0.1
   */
  public static String mermaid(Manifests manifests, String workflowId) {
    WorkflowSpec wf =
        manifests
            .workflow(workflowId)
            .orElseThrow(
                () ->
                    new AgentrtException(
                        "no workflow '"
                            + workflowId
                            + "'"
                            + Suggest.didYouMean(workflowId, manifests.workflows().keySet())
                            + " (known: "
                            + String.join(", ", new TreeSet<>(manifests.workflows().keySet()))
                            + ")"));
    return Mermaid.render(wf, Set.of());
  }

  /** A workflow as a Mermaid {@code graph TD} diagram, without a runtime. */
  public static String mermaid(WorkflowSpec workflow) {
    return Mermaid.render(workflow, Set.of());
  }

  /**
   * A workflow as a Mermaid {@code graph TD} diagram with the nodes of {@code taken} highlighted
   * (class {@code taken}), and the edges between two of them: the path a run took.
   *
   * @since 0.1
   */
  public static String mermaid(WorkflowSpec workflow, Set<String> taken) {
    return Mermaid.render(workflow, Set.copyOf(taken));
  }

  /**
   * Closes the runtime: it refuses new runs at once ({@code run}, {@code start}, {@code resume},
   * {@code fork} and {@code replay} throw {@link IllegalStateException}), waits for the runs in
   * flight to end (at most {@link Builder#closeTimeout}), then stops the threads it created
   * (interrupting the runs still on them), closes the node executors its providers created that are
   * {@link AutoCloseable}, the tool bus it created and the memory backends it opened, and last the
   * checkpoint store. What was given to the builder ({@link Builder#executor}, {@link
   * Builder#toolBus}, {@link Builder#nodeExecutor}) is left open, except the checkpoint store.
   * Idempotent: a second call returns at once.
   */
  @Override
  public void close() {
    if (!gate.close()) return;
    engine.scheduler().close();
    for (Worker w : workers) w.drain(closeTimeout);
    if (!gate.awaitIdle(closeTimeout)) {
      log.warn("runs still in flight after {}; closing the runtime anyway", closeTimeout);
    }
    engine.stopThreads(closeTimeout);
    resources.close();
    memory.close();
    engine.store().close();
  }

  private RunResult admitted(Supplier<RunResult> run) {
    gate.enter();
    try {
      return run.get();
    } finally {
      gate.exit();
    }
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
    private @Nullable Path configDir;
    private final Map<String, Workflow> codeWorkflows = new LinkedHashMap<>();
    private final Map<String, Agent> codeAgents = new LinkedHashMap<>();
    private final Map<String, NodeFunction> functions = new LinkedHashMap<>();
    private final Map<String, NodeExecutor> executors = new LinkedHashMap<>();
    private final List<RunListener> listeners = new ArrayList<>();
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final Map<String, Object> models = new LinkedHashMap<>();
    private final Map<String, ModelSpec.PricingSpec> modelPricing = new LinkedHashMap<>();
    private @Nullable CheckpointStore store;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private @Nullable ExecutorService threads;
    private @Nullable Supplier<String> runIds;
    private Function<String, @Nullable String> environment = System::getenv;
    private boolean discovery = true;
    private boolean housekeeping = true;
    private @Nullable OpenTelemetry openTelemetry;
    private long maxManifestBytes = ManifestReader.DEFAULT_MAX_MANIFEST_BYTES;
    private @Nullable ToolBus toolBus;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private @Nullable Embedder embedder;
    private final Map<String, MemoryStoreProvider> memoryBackends = new LinkedHashMap<>();

    private Builder() {
      ManifestReader.prewarmValidation();
    }

    /**
     * The configuration directory; default {@code .agent} in the working directory, unless
     * workflows or agents are given in code: then no directory is read unless one is set here.
     */
    public Builder configDir(Path configDir) {
      this.configDir = Objects.requireNonNull(configDir, "configDir");
      return this;
    }

    /**
     * Adds a workflow built in code, beside those of the configuration directory (or instead of
     * them, when no {@link #configDir} is set). It is checked with them when the runtime is built;
     * an id used twice is a problem.
     *
     * @throws IllegalArgumentException if a workflow of this id was added already
     * @since 0.1
     */
    public Builder workflow(Workflow workflow) {
      Objects.requireNonNull(workflow, "workflow");
      if (codeWorkflows.putIfAbsent(workflow.id(), workflow) != null) {
        throw new IllegalArgumentException("workflow '" + workflow.id() + "' is added twice");
      }
      return this;
    }

    /**
     * Adds an agent built in code, as {@link #workflow(Workflow)} adds a workflow.
     *
     * @throws IllegalArgumentException if an agent of this name was added already
     * @since 0.1
     */
    public Builder agent(Agent agent) {
      Objects.requireNonNull(agent, "agent");
      if (codeAgents.putIfAbsent(agent.name(), agent) != null) {
        throw new IllegalArgumentException("agent '" + agent.name() + "' is added twice");
      }
      return this;
    }

    /**
     * Registers the Java code that {@code kind: function} nodes with {@code function: name} run. It
     * wins over a function of the same name offered by a discovered {@link
     * dev.agentrt.core.spi.FunctionProvider}.
     */
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
        throw new IllegalArgumentException(
            "kind '" + kind + "' is built in and cannot be replaced");
      }
      if (executors.putIfAbsent(kind, executor) != null) {
        throw new IllegalArgumentException(
            "two executors registered for kind '"
                + kind
                + "': "
                + executors.get(kind).getClass().getName()
                + ", "
                + executor.getClass().getName());
      }
      return this;
    }

    /**
     * Registers a tool that {@code kind: tool} nodes (and agents, where their executor supports it)
     * can call. It wins over a tool of the same name discovered through a {@code ToolProvider}. The
     * executors get the tools through {@link ExecutorSetup#tools()}; an executor registered with
     * {@link #nodeExecutor} uses its own tools instead.
     *
     * @throws IllegalArgumentException if a tool of the same name is already registered (the
     *     message names both classes)
     */
    public Builder tool(Tool tool) {
      Objects.requireNonNull(tool, "tool");
      ToolDescriptor d = Objects.requireNonNull(tool.descriptor(), "tool.descriptor()");
      Tool prev = tools.putIfAbsent(d.name(), tool);
      if (prev != null) {
        throw new IllegalArgumentException(
            "two tools registered as '"
                + d.name()
                + "': "
                + prev.getClass().getName()
                + ", "
                + tool.getClass().getName()
                + " (rename one, or register only one)");
      }
      return this;
    }

    /**
     * Registers a model instance as {@code models.<name>}: a LangChain4j {@code ChatModel} or
     * {@code StreamingChatModel} (such as a configured bean of the application, or agent-llm's
     * {@code ScriptedModel} in tests), which agent-llm's {@code kind: agent} executor uses; the
     * runtime itself only passes it on ({@link ExecutorSetup#models()}). When config.yml has a
     * {@code models.<name>} entry, the instance replaces the model its provider would create (the
     * provider is then neither validated nor called; the entry's {@code pricing:} and other
     * settings still apply); otherwise it defines {@code models.<name>}, for agents whose {@code
     * model:} names it (or that name none, for {@code default}).
     *
     * <pre>{@code
     * AgentRuntime rt = AgentRuntime.builder()
     *     .configDir(dir)
     *     .model("default", ScriptedModel.builder().answer("done").build())
     *     .build();
     * }</pre>
     *
     * <p>An instance of another type is reported when the configuration is loaded, naming the model
     * and its class.
     *
     * @throws IllegalArgumentException if a model of the same name is already registered
     * @since 0.1
     */
    public Builder model(String name, Object model) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(model, "model");
      Object prev = models.putIfAbsent(name, model);
      if (prev != null) {
        throw new IllegalArgumentException(
            "two models registered as '"
                + name
                + "': "
                + prev.getClass().getName()
                + ", "
                + model.getClass().getName()
                + " (register only one)");
      }
      return this;
    }

    /**
     * Registers {@code model} as {@link #model(String, Object)} does, with its prices (US dollars
     * per million input and output tokens): each call's cost is computed from them, so {@code
     * max_cost_usd} budgets and cost metrics work for a model that {@code config.yml} does not
     * list. They win over the {@code pricing:} of a {@code models.<name>} entry.
     *
     * @throws IllegalArgumentException if a model of the same name is already registered
     * @since 0.1
     */
    public Builder model(String name, Object model, ModelSpec.PricingSpec pricing) {
      Objects.requireNonNull(pricing, "pricing");
      model(name, model);
      modelPricing.put(name, pricing);
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
     * How the runtime waits: retry backoffs, {@link dev.agentrt.core.spi.NodeContext#pause} and the
     * {@code max_duration} deadline; default {@link Sleeper#system()}. Give a fake sleeper (with a
     * fake {@link #clock}) to make waits instant in tests.
     *
     * @since 0.1
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
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
     * The OpenTelemetry instance runs are traced with (spans {@code agentrt.run}, {@code
     * agentrt.node}, {@code agentrt.route}, {@code agentrt.checkpoint}). Default: {@link
     * GlobalOpenTelemetry#get()} at {@link #build()}, a no-op unless an SDK was installed; with a
     * no-op instance tracing costs nothing.
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
      if (bytes <= 0)
        throw new IllegalArgumentException("maxManifestBytes must be positive, got " + bytes);
      this.maxManifestBytes = bytes;
      return this;
    }

    /**
     * The tool bus the {@code tool} and {@code agent} executors call tools through, instead of the
     * one a discovered {@link dev.agentrt.core.spi.ToolBusProvider} creates from config.yml's
     * {@code policy:} and the {@link #tool} registrations (which this bus then does not see). The
     * runtime does not close a bus given here.
     *
     * @since 0.1
     */
    public Builder toolBus(ToolBus toolBus) {
      this.toolBus = Objects.requireNonNull(toolBus, "toolBus");
      return this;
    }

    /**
     * How long {@link AgentRuntime#close()} waits for runs in flight before it interrupts them, and
     * then for its threads to end; default {@link #DEFAULT_CLOSE_TIMEOUT}.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @since 0.1
     */
    public Builder closeTimeout(Duration timeout) {
      if (timeout.isNegative())
        throw new IllegalArgumentException("closeTimeout must not be negative, got " + timeout);
      this.closeTimeout = timeout;
      return this;
    }

    /**
     * The embedding model of dense and hybrid memory search. Default: the one {@link Embedder}
     * discovered through {@code META-INF/services/dev.agentrt.core.memory.Embedder} (such as {@code
     * dev.agentrt:agent-embeddings}'s), or none: memory search is then sparse (BM25) only.
     *
     * @since 0.1
     */
    public Builder embedder(Embedder embedder) {
      this.embedder = Objects.requireNonNull(embedder, "embedder");
      return this;
    }

    /**
     * Registers a memory backend under its {@link MemoryStoreProvider#backend()} name; it wins over
     * a discovered backend of that name.
     *
     * @throws IllegalArgumentException if a backend of that name is already registered
     * @since 0.1
     */
    public Builder memoryBackend(MemoryStoreProvider provider) {
      Objects.requireNonNull(provider, "provider");
      String name = Objects.requireNonNull(provider.backend(), "provider.backend()");
      MemoryStoreProvider prev = memoryBackends.putIfAbsent(name, provider);
      if (prev != null) {
        throw new IllegalArgumentException(
            "two memory backends registered as '"
                + name
                + "': "
                + prev.getClass().getName()
                + ", "
                + provider.getClass().getName());
      }
      return this;
    }

    /**
     * Whether the built runtime applies config.yml's {@code checkpoint.recover_on_start} and {@code
     * checkpoint.retention} in the background; default true. A tool that opens a runtime only to
     * read its store, or for one command, turns it off, so that opening it neither resumes other
     * engines' runs nor deletes any.
     *
     * @since 0.1
     */
    public Builder housekeeping(boolean housekeeping) {
      this.housekeeping = housekeeping;
      return this;
    }

    /**
     * Whether to discover node executors, checkpoint stores, the tool bus provider and the
     * functions of {@link dev.agentrt.core.spi.FunctionProvider}s with ServiceLoader (see {@link
     * Plugins} for the rules); default true.
     */
    public Builder discovery(boolean discovery) {
      this.discovery = discovery;
      return this;
    }

    /**
     * Loads and checks the configuration directory and builds the runtime.
     *
     * @throws ManifestException listing every problem of the directory, each with file, line and
     *     column
     * @throws AgentrtException if two discovered providers claim the same node kind, store name or
     *     function name, or a discovered provider claims a built-in kind ({@code function}, {@code
     *     transform}, {@code workflow})
     */
    public AgentRuntime build() {
      Map<String, NodeExecutorProvider> providers =
          Plugins.byName(
              NodeExecutorProvider.class,
              discovery,
              NodeExecutorProvider::kind,
              executors.keySet(),
              "two NodeExecutorProviders declare kind '%s': %s, %s"
                  + " (remove one, or register one with AgentRuntime.builder().nodeExecutor(...))");
      List<CheckpointStoreProvider> storeProviders =
          Plugins.load(CheckpointStoreProvider.class, discovery && store == null);
      // the registered functions, then those of the FunctionProviders (registered names win)
      Map<String, NodeFunction> allFunctions = new LinkedHashMap<>(functions);
      allFunctions.putAll(ProvidedFunctions.discover(discovery, functions.keySet()));
      // the tools whose tags count for requires: the given bus's, else the registered and
      // discovered ones (those the bus to be created will have)
      ToolBus given = toolBus;
      Supplier<List<ToolDescriptor>> loadedTools =
          given != null
              ? () -> List.copyOf(given.descriptors())
              : ManifestReader.knownTools(
                  tools.values().stream().map(Tool::descriptor).toList(), discovery);
      ManifestReader reader =
          new ManifestReader(
              environment,
              ManifestReader.kinds(executors, providers.values(), Set.of()),
              allFunctions.keySet(),
              models.keySet(),
              maxManifestBytes,
              loadedTools,
              false);
      boolean codeOnly = configDir == null && (!codeWorkflows.isEmpty() || !codeAgents.isEmpty());
      Path configured = configDir != null ? configDir : Path.of(".agent");
      ManifestReader.Result result =
          reader.read(
              codeOnly ? null : configured.toAbsolutePath().normalize(),
              codeAgents.values().stream().map(Agent::manifest).toList(),
              codeWorkflows.values().stream().map(Workflow::manifest).toList());
      List<ManifestProblem> problems = new ArrayList<>(result.problems());
      Manifests manifests = result.manifests();
      if (manifests == null) throw new ManifestException(problems);
      Path dir = manifests.dir();

      Map<String, NodeExecutor> used = new HashMap<>();
      RuntimeMemory memory = memory(manifests, dir, storeProviders, result);
      problems.addAll(memory.problems());
      RuntimeResources resources =
          new RuntimeResources(
              manifests,
              dir,
              List.copyOf(tools.values()),
              clock,
              resolvedOpenTelemetry(),
              toolBus,
              discovery,
              memory,
              models,
              modelPricing);
      try {
        return buildWith(
            manifests,
            result,
            dir,
            providers,
            storeProviders,
            resources,
            memory,
            used,
            problems,
            loadedTools,
            allFunctions);
      } catch (RuntimeException | Error e) {
        resources.close(); // a runtime that is not built closes what its executors created
        memory.close();
        throw e;
      }
    }

    private RuntimeMemory memory(
        Manifests manifests,
        Path dir,
        List<CheckpointStoreProvider> storeProviders,
        ManifestReader.Result result) {
      Map<String, MemoryStoreProvider> backends = new LinkedHashMap<>(memoryBackends);
      backends.putAll(
          Plugins.byName(
              MemoryStoreProvider.class,
              discovery,
              MemoryStoreProvider::backend,
              memoryBackends.keySet(),
              "two MemoryStoreProviders declare backend '%s': %s, %s (remove one, or register"
                  + " one with AgentRuntime.builder().memoryBackend(...))"));
      Embedder chosen = embedder;
      if (chosen == null) {
        List<Embedder> found = Plugins.load(Embedder.class, discovery);
        if (found.size() > 1) {
          throw new AgentrtException(
              "two Embedders are on the classpath: "
                  + found.get(0).getClass().getName()
                  + ", "
                  + found.get(1).getClass().getName()
                  + " (remove one, or give one with AgentRuntime.builder().embedder(...))");
        }
        chosen = found.isEmpty() ? null : found.get(0);
      }
      Path runsDatabase =
          store != null ? null : StoreOpener.databaseFile(manifests, storeProviders);
      return new RuntimeMemory(
          manifests,
          dir,
          backends,
          chosen,
          runsDatabase,
          clock,
          resolvedOpenTelemetry(),
          result::configProblemAt);
    }

    private AgentRuntime buildWith(
        Manifests manifests,
        ManifestReader.Result result,
        Path dir,
        Map<String, NodeExecutorProvider> providers,
        List<CheckpointStoreProvider> storeProviders,
        RuntimeResources resources,
        RuntimeMemory memory,
        Map<String, NodeExecutor> used,
        List<ManifestProblem> problems,
        Supplier<List<ToolDescriptor>> loadedTools,
        Map<String, NodeFunction> allFunctions) {
      if (problems.isEmpty()) {
        // the same node checks as ManifestLoader, with the executors created for the kinds in use
        problems.addAll(
            result.validateNodes(
                kind ->
                    used.computeIfAbsent(
                        kind,
                        k ->
                            executors.containsKey(k)
                                ? executors.get(k)
                                : resources.create(providers.get(k)))));
      }
      // the store is named (and its name checked) with the rest, but opened only for a
      // configuration
      // without problems: a mistake must not leave a new database file behind
      StoreOpener.Choice choice =
          store != null
              ? new StoreOpener.Choice(
                  () -> store,
                  "runs are kept in " + store.getClass().getName() + " (set on the builder)")
              : StoreOpener.of(manifests, dir, clock, storeProviders, problems);
      if (!problems.isEmpty()) throw new ManifestException(problems);
      CheckpointStore chosen = choice.opener().get();
      log.info("agentrt: {}", choice.description());
      RunListener listener = RunListener.composite(listeners);
      Engine engine =
          new Engine(
              manifests,
              result,
              Map.copyOf(allFunctions),
              used,
              chosen,
              listener,
              clock,
              sleeper,
              threads,
              runIds,
              resolvedOpenTelemetry());
      AgentRuntime runtime =
          new AgentRuntime(engine, manifests, resources, memory, closeTimeout, loadedTools);
      CheckpointSpec cp = manifests.config().checkpoint();
      if (housekeeping && cp != null && cp.retention() != null) {
        engine.scheduleRetention(cp.retention());
      }
      if (housekeeping && cp != null && Boolean.TRUE.equals(cp.recoverOnStart())) {
        runtime.recoverOrphaned();
      }
      return runtime;
    }

    private OpenTelemetry resolvedOpenTelemetry() {
      if (openTelemetry == null) openTelemetry = GlobalOpenTelemetry.get();
      return openTelemetry;
    }
  }
}
