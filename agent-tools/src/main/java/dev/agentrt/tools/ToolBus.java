package dev.agentrt.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.core.spi.ToolResult.FailureKind;
import dev.agentrt.tools.internal.ArgumentValidator;
import dev.agentrt.core.spi.Suggestions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tool calls for agents and {@code kind: tool} nodes. For each call it: looks the tool up;
 * checks the caller's allowed list and the {@link ToolPolicy}; validates the arguments against
 * the tool's schema; reuses a result recorded by an earlier execution of the step (or, for a
 * {@link Effect#NON_IDEMPOTENT} call that was started and never finished, refuses to repeat it);
 * records an intent before an effectful call; runs the tool on a bus thread with a timeout; caps
 * the size of the output; records the call in the step's {@link CallJournal} and tells the
 * {@link ToolCallListener}s.
 *
 * <p>{@link #call} never throws for anything a tool or its caller did: every failure is a
 * {@link ToolResult.Failure} whose message names the tool and says what to change.
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
public final class ToolBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ToolBus.class);
  private static final ObjectMapper CANONICAL = new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Default time a call may take: {@code policy.tools.<name>.timeout} overrides it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** Defaults that differ from the bus's for built-in tools: tests take longer than a file read. */
  private static final Map<String, Duration> BUILTIN_TIMEOUTS = Map.of("tests.run", Duration.ofMinutes(10));

  /** Default cap on a result's size as JSON: {@code policy.tools.<name>.max_output_bytes} overrides it. */
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 128 * 1024;

  private final Map<String, Registered> tools;
  private final ToolPolicy policy;
  private final Duration timeout;
  private final int maxOutputBytes;
  private final List<ToolCallListener> listeners;
  private final Clock clock;
  private final ExecutorService threads;
  private final boolean ownThreads;
  private final Tracer tracer;

  // OpenTelemetry GenAI semantic-convention keys (the incubating semconv artifact conflicts; see DEPENDENCIES.md)
  private static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> GEN_AI_TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> GEN_AI_TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  private static final AttributeKey<String> GEN_AI_TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  /** Content events of {@code execute_tool} spans (agent-telemetry's {@code ContentKind} names). */
  private static final String TOOL_ARGUMENTS_EVENT = "agentrt.tool.arguments";
  private static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
  private static final String TOOL_RESULT_EVENT = "agentrt.tool.result";
  private static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");

  private record Registered(Tool tool, ToolDescriptor descriptor, ArgumentValidator validator, Duration timeout,
      int maxOutputBytes, OnIndeterminate onIndeterminate) {}

  private ToolBus(Builder b, Map<String, Tool> all) {
    this.policy = b.policy != null ? b.policy : ToolPolicy.ofDefaults();
    this.timeout = b.timeout;
    this.maxOutputBytes = b.maxOutputBytes;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.tracer = b.openTelemetry.getTracer("dev.agentrt.tools");
    Map<String, Registered> m = new LinkedHashMap<>();
    for (Tool t : all.values()) {
      ToolDescriptor d = t.descriptor();
      JsonNode settings = policy.settings(d.name());
      List<SettingProblem> bad = new ArrayList<>();
      checkToolSettings(d.name(), settings, bad);
      if (!bad.isEmpty()) throw new IllegalArgumentException(bad.get(0).toString());
      Duration dflt = b.timeoutSet ? timeout : BUILTIN_TIMEOUTS.getOrDefault(d.name(), timeout);
      m.put(d.name(), new Registered(t, d, ArgumentValidator.compile(d), durationSetting(d.name(), settings, dflt),
          intSetting(d.name(), settings, "max_output_bytes", maxOutputBytes), decisionSetting(d.name(), settings)));
    }
    this.tools = Collections.unmodifiableMap(m);
    if (b.threads != null) {
      this.threads = b.threads;
      this.ownThreads = false;
    } else {
      AtomicInteger n = new AtomicInteger();
      this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "agentrt-tool-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.ownThreads = true;
    }
  }

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
    for (Registered r : tools.values()) l.add(r.descriptor);
    return l;
  }

  /** The descriptor of the tool named {@code name}, if registered. */
  public Optional<ToolDescriptor> descriptor(String name) {
    Registered r = tools.get(name);
    return r == null ? Optional.empty() : Optional.of(r.descriptor);
  }

  /**
   * Why a call of {@code tool} by a caller allowed {@code allowed} (null: anything) would be
   * refused before its arguments are looked at, or empty if it would not be. For load-time checks
   * and for offering a model only the tools it may call.
   */
  public Optional<ToolResult.Failure> check(String tool, @Nullable String agent,
      @Nullable Collection<String> allowed) {
    Registered r = tools.get(tool);
    if (r == null) return Optional.of(unknown(tool));
    return Optional.ofNullable(deny(r, agent, allowed));
  }

  /**
   * Checks that the arguments match the tool's schema; empty if they do, or the failure a call
   * would return.
   */
  public Optional<ToolResult.Failure> validate(String tool, JsonNode arguments) {
    Registered r = tools.get(tool);
    if (r == null) return Optional.of(unknown(tool));
    String problem = r.validator.validate(arguments);
    return problem == null ? Optional.empty() : Optional.of(invalid(tool, problem));
  }

  /**
   * What the bus does with an unfinished non-idempotent call of {@code tool} when the caller
   * passes no decision: {@code policy.tools.<tool>.on_indeterminate}, default {@link
   * OnIndeterminate#WAIT}.
   */
  public OnIndeterminate onIndeterminate(String tool) {
    Registered r = tools.get(tool);
    return r == null ? OnIndeterminate.WAIT : r.onIndeterminate;
  }

  /** Calls a tool; never throws for a tool's or caller's fault. See the class description. */
  public ToolResult call(ToolInvocation inv) {
    return call(inv, null);
  }

  /**
   * Calls a tool like {@link #call(ToolInvocation)}; if the call is a {@link Effect#NON_IDEMPOTENT}
   * one that an earlier execution started without recording a result, {@code decision} says what
   * to do (null: the tool's {@code policy.tools.<name>.on_indeterminate}, default wait):
   * <ul>
   *   <li>{@link OnIndeterminate#WAIT}: an {@code INDETERMINATE_EFFECT} failure; the tool is not called;
   *   <li>{@link OnIndeterminate#RETRY}: the tool is called again with the same idempotency key;
   *   <li>{@link OnIndeterminate#SKIP}: the tool is not called; the result is a success
   *       {@code {"skipped": true, "tool": <name>, "call": <call id>}}, recorded like a result;
   *   <li>{@link OnIndeterminate#FAIL}: the tool is not called; a {@code DENIED} failure naming the call.
   * </ul>
   * The decision is ignored for any other call.
   */
  public ToolResult call(ToolInvocation inv, @Nullable OnIndeterminate decision) {
    Objects.requireNonNull(inv, "inv");
    long t0 = System.nanoTime();
    Instant startedAt = clock.instant();
    boolean[] replayed = {false};
    ToolResult result;
    Registered r = tools.get(inv.tool());
    Effect effect = Effect.NONE;
    if (r == null) {
      result = unknown(inv.tool());
    } else {
      effect = r.descriptor.effect();
      ToolResult.Failure denied = deny(r, inv.agent(), inv.allowed());
      if (denied != null) {
        result = denied;
      } else {
        String problem = r.validator.validate(inv.arguments());
        result = problem != null ? invalid(inv.tool(), problem) : run(r, inv, decision, startedAt, replayed);
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (!replayed[0]) record(inv, effect, result, startedAt, took);
    if (!listeners.isEmpty()) notify(new ToolCallListener.Event(inv.tool(), inv.agent(), inv.runId(), inv.stepKey(),
        inv.index(), inv.arguments(), result, startedAt, took, replayed[0]));
    return result;
  }

  private ToolResult run(Registered r, ToolInvocation inv, @Nullable OnIndeterminate decision, Instant startedAt,
      boolean[] replayed) {
    CallJournal journal = inv.journal();
    String hash = null;
    if (journal != null) {
      hash = requestHash(inv);
      Optional<CallRecord> earlier = journal.replayed(inv.index());
      if (earlier.isPresent()) {
        CallRecord c = earlier.get();
        if (c.name().equals(inv.tool()) && c.requestHash().equals(hash)) {
          if ("tool".equals(c.kind())) {
            replayed[0] = true;
            return decode(c.response());
          }
          if ("intent".equals(c.kind()) && r.descriptor.effect() == Effect.NON_IDEMPOTENT) {
            OnIndeterminate d = decision != null ? decision : r.onIndeterminate;
            String started = "tool '" + inv.tool() + "': call " + inv.callId() + " was started by an earlier execution "
                + "and its result was not recorded; ";
            switch (d) {
              case WAIT:
                replayed[0] = true;
                return new ToolResult.Failure(FailureKind.INDETERMINATE_EFFECT, started + "the tool is non-idempotent, "
                    + "so it was not called again (check whether the effect happened, then resume the run with "
                    + "{\"effect\": \"retry\"}, {\"effect\": \"skip\"} or {\"effect\": \"fail\"})");
              case FAIL:
                replayed[0] = true;
                return new ToolResult.Failure(FailureKind.DENIED, started + "it was not called again and fails "
                    + "(decision: fail)");
              case SKIP:
                log.info("call {} of run {} ({}): skipped by decision, the tool is not called again", inv.callId(),
                    inv.runId(), inv.tool());
                return ToolResult.success(NODES.objectNode().put("skipped", true).put("tool", inv.tool())
                    .put("call", inv.callId()));
              case RETRY:
                log.info("call {} of run {} ({}): re-issued by decision with idempotency key {}", inv.callId(),
                    inv.runId(), inv.tool(), inv.idempotencyKey());
                break;
            }
          }
        } else {
          log.debug("call {} of run {} changed since it was recorded ({} -> {}); running it again", inv.callId(),
              inv.runId(), c.name(), inv.tool());
        }
      }
      if (r.descriptor.effect() != Effect.NONE) {
        ObjectNode intent = NODES.objectNode().put("tool", inv.tool()).put("effect", r.descriptor.effect().id())
            .put("idempotency_key", inv.idempotencyKey());
        journal.record(new CallRecord(inv.runId(), inv.stepKey(), inv.index(), "intent", inv.tool(), hash,
            request(inv), intent, BudgetUsage.ZERO, startedAt, Duration.ZERO));
      }
    }
    return execute(r, inv);
  }

  private ToolResult execute(Registered r, ToolInvocation inv) {
    String name = r.descriptor.name();
    Span span = tracer.spanBuilder("execute_tool " + name)
        .setAttribute(GEN_AI_OPERATION, "execute_tool")
        .setAttribute(GEN_AI_TOOL_NAME, name)
        .setAttribute(GEN_AI_TOOL_CALL_ID, inv.callId())
        .setAttribute(GEN_AI_TOOL_TYPE, "function")
        .startSpan();
    // content: exported in debug mode only, redacted and capped (agent-telemetry drops it otherwise)
    if (span.isRecording()) span.addEvent(TOOL_ARGUMENTS_EVENT, Attributes.of(TOOL_ARGUMENTS, inv.arguments().toString()));
    try {
      ToolResult result = executeIn(r, inv, Context.current().with(span));
      if (span.isRecording()) span.addEvent(TOOL_RESULT_EVENT, Attributes.of(TOOL_RESULT, encode(result).toString()));
      if (result instanceof ToolResult.Failure f) {
        span.setStatus(StatusCode.ERROR, f.message());
        span.setAttribute(ERROR_TYPE, f.kind().name());
      }
      return result;
    } finally {
      span.end();
    }
  }

  private ToolResult executeIn(Registered r, ToolInvocation inv, Context traced) {
    String name = r.descriptor.name();
    if (inv.cancelled().getAsBoolean()) {
      return new ToolResult.Failure(FailureKind.CANCELLED, "tool '" + name + "': call " + inv.callId()
          + " was not started: the run was cancelled");
    }
    Instant deadline = clock.instant().plus(r.timeout);
    ToolCall call = new ToolCall(inv.callId(), name, inv.arguments(), inv.idempotencyKey());
    CallContext ctx = new CallContext(r, deadline, inv);
    Future<ToolResult> f;
    try {
      f = threads.submit(traced.wrap(() -> r.tool.execute(call, ctx)));
    } catch (RuntimeException e) {
      return new ToolResult.Failure(FailureKind.ERROR, "tool '" + name + "': call " + inv.callId()
          + " could not be started: " + e);
    }
    ctx.future = f;
    long deadlineNanos = System.nanoTime() + r.timeout.toNanos();
    ToolResult result;
    try {
      while (true) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) throw new TimeoutException();
        try {
          result = f.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
          break;
        } catch (TimeoutException e) {
          if (inv.cancelled().getAsBoolean()) {
            f.cancel(true);
            return new ToolResult.Failure(FailureKind.CANCELLED, "tool '" + name + "': call " + inv.callId()
                + " was stopped: the run was cancelled");
          }
        }
      }
    } catch (TimeoutException e) {
      f.cancel(true);
      return new ToolResult.Failure(FailureKind.TIMEOUT, "tool '" + name + "': call " + inv.callId()
          + " timed out after " + human(r.timeout) + " (raise policy.tools." + name + ".timeout in config.yml)");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      return new ToolResult.Failure(FailureKind.CANCELLED, "tool '" + name + "': call " + inv.callId()
          + " was stopped: the calling thread was interrupted");
    } catch (CancellationException e) {
      return new ToolResult.Failure(FailureKind.CANCELLED, "tool '" + name + "': call " + inv.callId() + " was cancelled");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      log.debug("tool '{}' threw in call {}", name, inv.callId(), c);
      String msg = c.getMessage();
      return new ToolResult.Failure(FailureKind.ERROR, "tool '" + name + "': call " + inv.callId() + " failed: "
          + c.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
    }
    if (result == null) {
      return new ToolResult.Failure(FailureKind.ERROR, "tool '" + name + "': call " + inv.callId()
          + " returned no result (a tool must return ToolResult.success(...) or ToolResult.failure(...))");
    }
    return cap(result, r.maxOutputBytes);
  }

  private static ToolResult cap(ToolResult result, int limit) {
    if (!(result instanceof ToolResult.Success s)) return result;
    byte[] json;
    try {
      json = PLAIN.writeValueAsBytes(s.value());
    } catch (JsonProcessingException e) {
      return new ToolResult.Failure(FailureKind.ERROR, "result cannot be written as JSON: " + e.getOriginalMessage());
    }
    if (json.length <= limit) return result;
    String text = new String(json, 0, limit, StandardCharsets.UTF_8);
    if (!text.isEmpty() && text.charAt(text.length() - 1) == '\uFFFD') text = text.substring(0, text.length() - 1);
    ObjectNode o = NODES.objectNode();
    o.put("truncated", true);
    o.put("size_bytes", json.length);
    o.put("limit_bytes", limit);
    o.put("preview", text);
    return new ToolResult.Success(o, true);
  }

  private ToolResult.@Nullable Failure deny(Registered r, @Nullable String agent,
      @Nullable Collection<String> allowed) {
    String name = r.descriptor.name();
    if (allowed != null && !allowed.contains(name)) {
      String who = agent == null ? "the caller" : "agent '" + agent + "'";
      String where = agent == null ? "the caller's allowed tools" : "tools: in agents/" + agent + ".yml";
      return new ToolResult.Failure(FailureKind.DENIED, "tool '" + name + "' denied: " + who
          + " lacks permission '" + name + "' (add " + name + " to " + where + ")");
    }
    if (!policy.enabled(name)) {
      return new ToolResult.Failure(FailureKind.DENIED, "tool '" + name + "' denied: disabled by policy"
          + " (policy.tools." + name + ".enabled is false in config.yml)");
    }
    for (String p : r.descriptor.permissions()) {
      String why = policy.denial(p);
      if (why != null) return new ToolResult.Failure(FailureKind.DENIED, "tool '" + name + "' denied: " + why);
    }
    return null;
  }

  private ToolResult.Failure unknown(String tool) {
    String hint = Suggestions.didYouMean(tool, tools.keySet());
    return new ToolResult.Failure(FailureKind.UNKNOWN_TOOL, "unknown tool '" + tool + "'" + (hint.isEmpty()
        ? " (known tools: " + String.join(", ", new java.util.TreeSet<>(tools.keySet())) + ")" : hint));
  }

  private static ToolResult.Failure invalid(String tool, String problem) {
    return new ToolResult.Failure(FailureKind.INVALID_ARGUMENTS, "tool '" + tool + "': invalid arguments: " + problem);
  }

  private void record(ToolInvocation inv, Effect effect, ToolResult result, Instant startedAt, Duration took) {
    CallJournal journal = inv.journal();
    if (journal == null) return;
    CallRecord rec = new CallRecord(inv.runId(), inv.stepKey(), inv.index(), "tool", inv.tool(), requestHash(inv),
        request(inv), encode(result), BudgetUsage.ZERO, startedAt, took);
    if (effect == Effect.NONE || !(result instanceof ToolResult.Success) && !ranTool(result)) {
      journal.record(rec);
    } else {
      journal.recordWithStep(rec);
    }
  }

  /** Whether a failure may have come after the tool ran (and so may hide an effect). */
  private static boolean ranTool(ToolResult result) {
    if (!(result instanceof ToolResult.Failure f)) return true;
    return f.kind() == FailureKind.ERROR || f.kind() == FailureKind.TIMEOUT || f.kind() == FailureKind.CANCELLED;
  }

  private void notify(ToolCallListener.Event e) {
    for (ToolCallListener l : listeners) {
      try {
        l.onToolCall(e);
      } catch (RuntimeException ex) {
        log.warn("ToolCallListener {} threw on call {} of run {}", l.getClass().getName(), e.stepKey() + ":" + e.index(),
            e.runId(), ex);
      }
    }
  }

  private static JsonNode request(ToolInvocation inv) {
    ObjectNode o = NODES.objectNode();
    o.put("tool", inv.tool());
    o.set("arguments", inv.arguments());
    return o;
  }

  private static String requestHash(ToolInvocation inv) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(CANONICAL.writeValueAsBytes(request(inv))));
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot hash a tool request", e);
    }
  }

  static JsonNode encode(ToolResult result) {
    ObjectNode o = NODES.objectNode();
    if (result instanceof ToolResult.Success s) {
      o.put("ok", true);
      o.set("value", s.value());
      if (s.truncated()) o.put("truncated", true);
    } else {
      ToolResult.Failure f = (ToolResult.Failure) result;
      o.put("ok", false);
      o.put("kind", f.kind().name());
      o.put("message", f.message());
    }
    return o;
  }

  static ToolResult decode(JsonNode response) {
    if (response.path("ok").asBoolean(false)) {
      return new ToolResult.Success(response.path("value"), response.path("truncated").asBoolean(false));
    }
    FailureKind kind;
    try {
      kind = FailureKind.valueOf(response.path("kind").asText("ERROR"));
    } catch (IllegalArgumentException e) {
      kind = FailureKind.ERROR;
    }
    return new ToolResult.Failure(kind, response.path("message").asText(""));
  }

  private static Duration durationSetting(String tool, JsonNode settings, Duration dflt) {
    JsonNode v = settings.get("timeout");
    return v == null ? dflt : Durations.parsePositive(v.asText()); // checked by checkToolSettings
  }

  private static OnIndeterminate decisionSetting(String tool, JsonNode settings) {
    JsonNode v = settings.get("on_indeterminate");
    if (v == null) return OnIndeterminate.WAIT;
    OnIndeterminate d = v.isTextual() ? OnIndeterminate.parse(v.asText()) : null;
    return d == null ? OnIndeterminate.WAIT : d; // checked by checkToolSettings
  }

  private static int intSetting(String tool, JsonNode settings, String key, int dflt) {
    JsonNode v = settings.get(key);
    return v == null ? dflt : v.asInt(); // checked by checkToolSettings
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

    /** {@code problems} as node problems at their keys of config.yml ({@link NodeProblem#inConfig}). */
    public static List<NodeProblem> asNodeProblems(List<SettingProblem> problems) {
      List<NodeProblem> out = new ArrayList<>(problems.size());
      for (SettingProblem p : problems) out.add(NodeProblem.inConfig(p.key(), p.message()));
      return out;
    }
  }

  /** Duration settings of the built-in tools, besides {@code timeout}. */
  private static final Map<String, List<String>> BUILTIN_DURATIONS = Map.of(
      "http", List.of("connect_timeout", "read_timeout"));
  /** Positive whole-number settings of the built-in tools, besides {@code max_output_bytes}. */
  private static final Map<String, List<String>> BUILTIN_SIZES = Map.of(
      "http", List.of("max_response_bytes"),
      "fs.read", List.of("max_bytes"),
      "fs.write", List.of("max_bytes"),
      "fs.list", List.of("max_entries"),
      "grep", List.of("max_matches"));

  /**
   * Checks a {@code policy:} section as a runtime would use it, without building anything: the
   * workspace is an existing directory (a relative one resolves against {@code baseDir}), every
   * {@code policy.tools.<name>} is a mapping, and the settings that every tool has
   * ({@code enabled}, {@code timeout}, {@code max_output_bytes}, {@code on_indeterminate}) and the
   * built-in tools' own settings ({@code http}'s {@code connect_timeout}, {@code read_timeout},
   * {@code max_response_bytes}, {@code max_redirects}; the file tools' and {@code grep}'s size
   * limits) have values of the right kind. Durations use {@link Durations} syntax.
   *
   * @return every problem found, empty if none
   * @since 0.1
   */
  public static List<SettingProblem> check(@Nullable PolicySpec spec, Path baseDir) {
    List<SettingProblem> problems = new ArrayList<>();
    if (spec == null) return problems;
    if (spec.workspace() != null) {
      Path ws = baseDir.resolve(spec.workspace()).toAbsolutePath().normalize();
      if (!Files.isDirectory(ws)) {
        problems.add(new SettingProblem(List.of("policy", "workspace"), "directory '" + ws
            + "' does not exist (create it, or point policy.workspace at a directory)"));
      }
    }
    if (spec.tools() != null) {
      for (Map.Entry<String, JsonNode> e : spec.tools().entrySet()) {
        JsonNode settings = e.getValue();
        if (settings == null || !settings.isObject()) {
          problems.add(new SettingProblem(List.of("policy", "tools", e.getKey()),
              "must be a mapping of settings, such as {timeout: 30s}"));
        } else {
          checkToolSettings(e.getKey(), settings, problems);
        }
      }
    }
    return problems;
  }

  private static void checkToolSettings(String tool, JsonNode settings, List<SettingProblem> problems) {
    for (String key : List.of("enabled", "allow_hard_links")) {
      JsonNode flag = settings.get(key);
      if (flag != null && !flag.isBoolean()) problems.add(setting(tool, key, "'" + flag.asText() + "' is not true or false"));
    }
    checkDuration(tool, settings, "timeout", problems);
    for (String key : BUILTIN_DURATIONS.getOrDefault(tool, List.of())) checkDuration(tool, settings, key, problems);
    checkSize(tool, settings, "max_output_bytes", 1, problems);
    for (String key : BUILTIN_SIZES.getOrDefault(tool, List.of())) checkSize(tool, settings, key, 1, problems);
    if ("http".equals(tool)) checkSize(tool, settings, "max_redirects", 0, problems);
    JsonNode decision = settings.get("on_indeterminate");
    if (decision != null && (!decision.isTextual() || OnIndeterminate.parse(decision.asText()) == null)) {
      problems.add(setting(tool, "on_indeterminate", "'" + decision.asText() + "' is not one of wait, retry, skip, fail"));
    }
  }

  private static void checkDuration(String tool, JsonNode settings, String key, List<SettingProblem> problems) {
    JsonNode v = settings.get(key);
    if (v == null) return;
    try {
      if (!v.isTextual()) throw new IllegalArgumentException("'" + v + "' is not a duration (" + Durations.SYNTAX + ")");
      Durations.parsePositive(v.asText());
    } catch (IllegalArgumentException e) {
      problems.add(setting(tool, key, e.getMessage()));
    }
  }

  private static void checkSize(String tool, JsonNode settings, String key, int min, List<SettingProblem> problems) {
    JsonNode v = settings.get(key);
    if (v != null && (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min)) {
      problems.add(setting(tool, key, "'" + (v.isTextual() ? v.asText() : v.toString()) + "' is not "
          + (min > 0 ? "a positive" : "a") + " whole number" + (min > 0 ? "" : " (0 or more)")));
    }
  }

  private static SettingProblem setting(String tool, String key, String message) {
    return new SettingProblem(List.of("policy", "tools", tool, key), message);
  }

  static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  /** Stops the bus's own threads; calls in flight are interrupted. An executor given to the builder is left running. */
  @Override
  public void close() {
    if (ownThreads) threads.shutdownNow();
  }

  private final class CallContext implements ToolContext {
    private final Registered r;
    private final Instant deadline;
    private final ToolInvocation inv;
    volatile @Nullable Future<ToolResult> future;

    CallContext(Registered r, Instant deadline, ToolInvocation inv) {
      this.r = r;
      this.deadline = deadline;
      this.inv = inv;
    }

    @Override
    public Path workspace() {
      return policy.workspace();
    }

    @Override
    public List<String> httpAllow() {
      return policy.httpAllow();
    }

    @Override
    public JsonNode settings() {
      return policy.settings(r.descriptor.name()).deepCopy();
    }

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public boolean isCancelled() {
      Future<ToolResult> f = future;
      return (f != null && f.isCancelled()) || inv.cancelled().getAsBoolean() || Thread.currentThread().isInterrupted()
          || !clock.instant().isBefore(deadline);
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

    private Builder() {}

    /** Registers a tool; two tools of one name are an error naming both classes. */
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
     * Default time a call may take; default 60 s (10 min for {@code tests.run});
     * {@code policy.tools.<name>.timeout} overrides it per tool.
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      this.timeout = timeout;
      this.timeoutSet = true;
      return this;
    }

    /** Default cap on a result's size as JSON, in bytes; default 128 KiB. Larger results are truncated and marked. */
    public Builder maxOutputBytes(int maxOutputBytes) {
      if (maxOutputBytes < 64) throw new IllegalArgumentException("maxOutputBytes must be at least 64, got " + maxOutputBytes);
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

    /** The threads tools run on; default a cached pool of daemon threads. The bus does not shut down an executor given here. */
    public Builder executor(ExecutorService executor) {
      this.threads = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Whether to add the tools of every {@link ToolProvider} found by {@link ServiceLoader} (the
     * built-in tools among them); default true.
     */
    public Builder discovery(boolean discovery) {
      this.discovery = discovery;
      return this;
    }

    /**
     * Builds the bus.
     *
     * @throws IllegalArgumentException if two discovered providers offer a tool of the same name, or
     *     a per-tool setting is malformed
     */
    public ToolBus build() {
      Map<String, Tool> all = new LinkedHashMap<>(tools);
      if (discovery) {
        Map<String, String> from = new LinkedHashMap<>();
        for (ToolProvider p : ServiceLoader.load(ToolProvider.class)) {
          log.debug("discovered ToolProvider {}", p.getClass().getName());
          for (Tool t : p.tools()) {
            String name = t.descriptor().name();
            if (tools.containsKey(name)) continue;
            String prev = from.putIfAbsent(name, p.getClass().getName());
            if (prev != null) {
              throw new IllegalArgumentException("two ToolProviders offer tool '" + name + "': " + prev + ", "
                  + p.getClass().getName() + " (remove one, or register one with ToolBus.builder().tool(...))");
            }
            all.put(name, t);
          }
        }
      }
      return new ToolBus(this, all);
    }
  }
}
