package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.core.memory.MemoryAccess;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Plugins;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.internal.ArgumentValidator;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tool calls for agents and {@code kind: tool} nodes. For each call it: looks the tool up;
 * checks the caller's allowed list and the {@link ToolPolicy}; validates the arguments against the
 * tool's schema; reuses a result recorded by an earlier execution of the step (or, for a {@link
 * Effect#NON_IDEMPOTENT} call that was started and never finished, refuses to repeat it); records
 * an intent before an effectful call; runs the tool on a bus thread with a timeout; caps the size
 * of the output; records the call in the step's {@link CallJournal} and tells the {@link
 * ToolCallListener}s.
 *
 * <p>{@link #call} never throws for anything a tool or its caller did: every failure is a {@link
 * ToolResult.Failure} whose message names the tool and says what to change.
 *
 * <pre>{@code
 * ToolBus bus = ToolBus.builder()
 *     .policy(ToolPolicy.builder().workspace(Path.of("repo")).build())
 *     .build();
 * ToolResult r = bus.call(ToolInvocation.of("fs.read", Json.object("path", "README.md")));
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop its threads (they are daemon threads, so an unclosed bus does
 * not keep the JVM alive).
 *
 * @since 0.1
 */
public final class ToolBus implements dev.agentrt.core.spi.ToolBus {
  private static final Logger log = LoggerFactory.getLogger(ToolBus.class);

  /** Default time a call may take: {@code policy.tools.<name>.timeout} overrides it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Defaults that differ from the bus's for built-in tools: tests take longer than a file read. */
  private static final Map<String, Duration> BUILTIN_TIMEOUTS =
      Map.of("tests.run", Duration.ofMinutes(10));

  /**
   * Default cap on a result's size as JSON: {@code policy.tools.<name>.max_output_bytes} overrides
   * it.
   */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 128 * 1024;

  private final Map<String, RegisteredTool> tools;
  private final ToolPolicy policy;
  private final List<ToolCallListener> listeners;
  private final Clock clock;
  private final ExecutorService threads;
  private final boolean ownThreads;
  private final TimedCall timed;
  private final Refusals refusals;
  private final List<AutoCloseable> providers;

  private ToolBus(Builder b, Map<String, Tool> all, List<AutoCloseable> providers) {
    this.providers = providers;
    this.policy = b.policy != null ? b.policy : ToolPolicy.ofDefaults();
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.tools = register(b, all, policy);
    this.ownThreads = b.threads == null;
    this.threads = b.threads != null ? b.threads : TimedCall.defaultPool();
    this.refusals = new Refusals(policy, tools.keySet());
    this.timed =
        new TimedCall(
            policy, clock, threads, b.openTelemetry.getTracer("dev.agentrt.tools"), b.memory);
  }

  /**
   * Each tool with its settings, parsed once; the first malformed setting is an exception naming
   * its key.
   */
  private static Map<String, RegisteredTool> register(
      Builder b, Map<String, Tool> all, ToolPolicy policy) {
    Map<String, RegisteredTool> m = new LinkedHashMap<>();
    for (Tool t : all.values()) {
      ToolDescriptor d = t.descriptor();
      Duration timeout =
          b.timeoutSet ? b.timeout : BUILTIN_TIMEOUTS.getOrDefault(d.name(), b.timeout);
      ToolSettings defaults = new ToolSettings(timeout, b.maxOutputBytes, OnIndeterminate.WAIT);
      List<SettingProblem> bad = new ArrayList<>();
      ToolSettings settings =
          ToolSettings.parse(d.name(), policy.settings(d.name()), defaults, bad);
      if (!bad.isEmpty()) throw new IllegalArgumentException(bad.get(0).toString());
      m.put(d.name(), new RegisteredTool(t, d, ArgumentValidator.compile(d), settings));
    }
    return Collections.unmodifiableMap(m);
  }

  /** A builder with discovery on and the defaults its setters describe. */
  public static Builder builder() {
    return new Builder();
  }

  /** The policy calls are checked against. */
  public ToolPolicy policy() {
    return policy;
  }

  /** Every registered tool's descriptor, in registration order. */
  public List<ToolDescriptor> descriptors() {
    List<ToolDescriptor> l = new ArrayList<>(tools.size());
    for (RegisteredTool r : tools.values()) l.add(r.descriptor());
    return l;
  }

  /** The descriptor of the tool named {@code name}, if registered. */
  public Optional<ToolDescriptor> descriptor(String name) {
    RegisteredTool r = tools.get(name);
    return r == null ? Optional.empty() : Optional.of(r.descriptor());
  }

  /**
   * Why a call of {@code tool} by a caller allowed {@code allowed} (null: anything) would be
   * refused before its arguments are looked at, or empty if it would not be. For load-time checks
   * and for offering a model only the tools it may call.
   */
  public Optional<ToolResult.Failure> check(
      String tool, @Nullable String agent, @Nullable Collection<String> allowed) {
    RegisteredTool r = tools.get(tool);
    if (r == null) return Optional.of(refusals.unknown(tool));
    return Optional.ofNullable(refusals.deny(r, agent, allowed));
  }

  /**
   * Checks that the arguments match the tool's schema; empty if they do, or the failure a call
   * would return.
   */
  public Optional<ToolResult.Failure> validate(String tool, JsonNode arguments) {
    RegisteredTool r = tools.get(tool);
    if (r == null) return Optional.of(refusals.unknown(tool));
    String problem = r.validator().validate(arguments);
    return problem == null ? Optional.empty() : Optional.of(Refusals.invalid(tool, problem));
  }

  /**
   * What the bus does with an unfinished non-idempotent call of {@code tool} when the caller passes
   * no decision: {@code policy.tools.<tool>.on_indeterminate}, default {@link
   * OnIndeterminate#WAIT}.
   */
  public OnIndeterminate onIndeterminate(String tool) {
    RegisteredTool r = tools.get(tool);
    return r == null ? OnIndeterminate.WAIT : r.settings().onIndeterminate();
  }

  /**
   * Calls a tool as {@link #call(ToolInvocation, OnIndeterminate)} does; the runtime's executors
   * call this.
   */
  @Override
  public ToolResult call(dev.agentrt.core.spi.ToolBus.Call call, @Nullable Decision decision) {
    return call(CoreCalls.invocation(call), CoreCalls.decision(decision));
  }

  /** Calls a tool; never throws for a tool's or caller's fault. See the class description. */
  public ToolResult call(ToolInvocation inv) {
    return call(inv, null);
  }

  /**
   * Calls a tool like {@link #call(ToolInvocation)}; if the call is a {@link Effect#NON_IDEMPOTENT}
   * one that an earlier execution started without recording a result, {@code decision} says what to
   * do (null: the tool's {@code policy.tools.<name>.on_indeterminate}, default wait):
   *
   * <ul>
   *   <li>{@link OnIndeterminate#WAIT}: an {@code INDETERMINATE_EFFECT} failure; the tool is not
   *       called;
   *   <li>{@link OnIndeterminate#RETRY}: the tool is called again with the same idempotency key;
   *   <li>{@link OnIndeterminate#SKIP}: the tool is not called; the result is a success {@code
   *       {"skipped": true, "tool": <name>, "call": <call id>}}, recorded like a result;
   *   <li>{@link OnIndeterminate#FAIL}: the tool is not called; a {@code DENIED} failure naming the
   *       call.
   * </ul>
   *
   * The decision is ignored for any other call.
   */
  public ToolResult call(ToolInvocation inv, @Nullable OnIndeterminate decision) {
    Objects.requireNonNull(inv, "inv");
    long t0 = System.nanoTime();
    Instant startedAt = clock.instant();
    CallJournal journal = inv.journal();
    String hash = journal == null ? null : ResultCodec.requestHash(inv);
    RegisteredTool r = tools.get(inv.tool());
    CallOutcome outcome;
    if (r == null) {
      outcome = CallOutcome.fresh(refusals.unknown(inv.tool()));
    } else {
      ToolResult.Failure refused = refusals.refuse(r, inv);
      outcome =
          refused != null
              ? CallOutcome.fresh(refused)
              : run(r, inv, journal, hash, decision, startedAt);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    ToolResult result = outcome.result();
    if (journal != null && hash != null && !outcome.replayed()) {
      Effect effect = r == null ? Effect.NONE : r.descriptor().effect();
      EffectJournal.result(journal, inv, hash, effect, result, startedAt, took);
    }
    if (!listeners.isEmpty())
      notify(
          new ToolCallListener.Event(
              inv.tool(),
              inv.agent(),
              inv.runId(),
              inv.stepKey(),
              inv.index(),
              inv.arguments(),
              result,
              startedAt,
              took,
              outcome.replayed()));
    return result;
  }

  /** Replays the call from the journal, or records its intent and runs the tool. */
  private CallOutcome run(
      RegisteredTool r,
      ToolInvocation inv,
      @Nullable CallJournal journal,
      @Nullable String hash,
      @Nullable OnIndeterminate decision,
      Instant startedAt) {
    if (journal != null && hash != null) {
      CallOutcome earlier = EffectJournal.replay(journal, r, inv, hash, decision);
      if (earlier != null) return earlier;
      EffectJournal.intent(journal, r, inv, hash, startedAt);
    }
    return CallOutcome.fresh(timed.execute(r, inv));
  }

  private void notify(ToolCallListener.Event e) {
    for (ToolCallListener l : listeners) {
      try {
        l.onToolCall(e);
      } catch (RuntimeException ex) {
        log.warn(
            "ToolCallListener {} threw on call {} of run {}",
            l.getClass().getName(),
            e.stepKey() + ":" + e.index(),
            e.runId(),
            ex);
      }
    }
  }

  /**
   * A problem in config.yml's {@code policy:} section, found by {@link #check}.
   *
   * @param key the path of keys from the top of config.yml, such as {@code [policy, tools, http,
   *     read_timeout]} (a tool name such as {@code tests.run} is one element)
   * @param message what is wrong and what to write, without the key
   * @since 0.1
   */
  public record SettingProblem(List<String> key, String message) {
    public SettingProblem {
      key = List.copyOf(key);
      Objects.requireNonNull(message, "message");
    }

    /** {@code policy.tools.http.read_timeout: message}. */
    @Override
    public String toString() {
      return String.join(".", key) + ": " + message;
    }

    /**
     * {@code problems} as node problems at their keys of config.yml ({@link NodeProblem#inConfig}).
     */
    public static List<NodeProblem> asNodeProblems(List<SettingProblem> problems) {
      List<NodeProblem> out = new ArrayList<>(problems.size());
      for (SettingProblem p : problems) out.add(NodeProblem.inConfig(p.key(), p.message()));
      return out;
    }
  }

  /**
   * Checks a {@code policy:} section as a runtime would use it, without building anything: the
   * workspace is an existing directory (a relative one resolves against {@code baseDir}), every
   * {@code policy.tools.<name>} is a mapping, and the settings that every tool has ({@code
   * enabled}, {@code timeout}, {@code max_output_bytes}, {@code on_indeterminate}) and the built-in
   * tools' own settings ({@code http}'s {@code connect_timeout}, {@code read_timeout}, {@code
   * max_response_bytes}, {@code max_redirects}; the file tools' and {@code grep}'s size limits)
   * have values of the right kind. Durations use {@link Durations} syntax.
   *
   * @return every problem found, empty if none
   * @since 0.1
   */
  public static List<SettingProblem> check(@Nullable PolicySpec spec, Path baseDir) {
    return ToolSettings.check(spec, baseDir);
  }

  /**
   * Stops the bus's own threads; calls in flight are interrupted. An executor given to the builder
   * is left running. Closes the discovered {@link ToolProvider}s that are {@link AutoCloseable}
   * (such as the MCP servers' clients).
   */
  @Override
  public void close() {
    if (ownThreads) threads.shutdownNow();
    closeAll(providers);
  }

  /** Closes each of {@code providers}; a failure is logged and the rest are still closed. */
  private static void closeAll(List<AutoCloseable> providers) {
    for (AutoCloseable p : providers) {
      try {
        p.close();
      } catch (Exception e) {
        log.warn("closing ToolProvider {} failed", p.getClass().getName(), e);
      }
    }
  }

  /**
   * Builds a {@link ToolBus}. Tools set here win over discovered ones of the same name. Not
   * thread-safe.
   */
  public static final class Builder {
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private @Nullable ToolPolicy policy;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean timeoutSet;
    private int maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
    private final List<ToolCallListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable ExecutorService threads;
    private boolean discovery = true;
    private MemoryAccess.Source memory = MemoryAccess.Source.none();
    private ToolProvider.@Nullable Setup configuration;

    private Builder() {}

    /** Registers a tool; two tools of one name are an error naming both classes. */
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

    /** Registers each of {@code tools}. */
    public Builder tools(List<? extends Tool> tools) {
      Objects.requireNonNull(tools, "tools").forEach(this::tool);
      return this;
    }

    /** What calls may touch; default {@link ToolPolicy#ofDefaults()}. */
    public Builder policy(ToolPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Default time a call may take; default 60 s (10 min for {@code tests.run}); {@code
     * policy.tools.<name>.timeout} overrides it per tool.
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero())
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      this.timeout = timeout;
      this.timeoutSet = true;
      return this;
    }

    /**
     * Default cap on a result's size as JSON, in bytes; default 128 KiB. Larger results are
     * truncated and marked.
     */
    public Builder maxOutputBytes(int maxOutputBytes) {
      if (maxOutputBytes < 64)
        throw new IllegalArgumentException(
            "maxOutputBytes must be at least 64, got " + maxOutputBytes);
      this.maxOutputBytes = maxOutputBytes;
      return this;
    }

    /** Adds a listener of every call. */
    public Builder listener(ToolCallListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock for deadlines and records; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The OpenTelemetry instance for {@code execute_tool} spans (GenAI conventions), children of
     * the caller's current span; tools run with that span current, so the {@code http} tool
     * propagates it as {@code traceparent}. Default: a no-op.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * The threads tools run on; default a cached pool of daemon threads. The bus does not shut down
     * an executor given here.
     */
    public Builder executor(ExecutorService executor) {
      this.threads = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Where tools get the runtime's memory ({@link dev.agentrt.core.spi.ToolContext#memory()}) for
     * a call's run and agent; default: none, so the memory tools fail saying so. The runtime's bus
     * gets the runtime's memory.
     *
     * @since 0.1
     */
    public Builder memory(MemoryAccess.Source memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    /**
     * The configuration the bus is built for: discovered providers are asked for their tools with
     * {@link ToolProvider#tools(ToolProvider.Setup)}, so that tools configured in {@code
     * config.yml} (its {@code mcp_servers:}) join the bus. Default: none, and providers are asked
     * with {@link ToolProvider#tools()}. The runtime's bus is built for the runtime's
     * configuration.
     *
     * @since 0.1
     */
    public Builder configuration(Manifests manifests, Path configDir) {
      this.configuration = new ToolProvider.Setup(manifests, configDir);
      return this;
    }

    /**
     * Whether to add the tools of every {@link ToolProvider} found by {@link
     * java.util.ServiceLoader} (the built-in tools among them); default true.
     */
    public Builder discovery(boolean discovery) {
      this.discovery = discovery;
      return this;
    }

    /**
     * Builds the bus.
     *
     * @throws dev.agentrt.core.AgentrtException if two discovered providers offer a tool of the
     *     same name (see {@link Plugins} for the discovery rules), or a provider cannot make its
     *     configured tools available (an MCP server that does not start)
     * @throws IllegalArgumentException if a per-tool setting is malformed
     */
    public ToolBus build() {
      Map<String, Tool> all = new LinkedHashMap<>(tools);
      List<Map.Entry<ToolProvider, Tool>> found = new ArrayList<>();
      List<AutoCloseable> closeable = new ArrayList<>();
      try {
        for (ToolProvider p : Plugins.load(ToolProvider.class, discovery)) {
          log.debug("discovered ToolProvider {}", p.getClass().getName());
          if (p instanceof AutoCloseable c) closeable.add(c);
          List<Tool> offered = configuration == null ? p.tools() : p.tools(configuration);
          for (Tool t : offered) found.add(Map.entry(p, t));
        }
        Plugins.index(
                found,
                e -> e.getValue().descriptor().name(),
                Map.Entry::getKey,
                tools.keySet(),
                "two ToolProviders offer tool '%s': %s, %s (remove one, or register one with ToolBus.builder().tool(...))")
            .forEach((name, e) -> all.put(name, e.getValue()));
        return new ToolBus(this, all, List.copyOf(closeable));
      } catch (RuntimeException | Error e) {
        closeAll(closeable);
        throw e;
      }
    }
  }
}
