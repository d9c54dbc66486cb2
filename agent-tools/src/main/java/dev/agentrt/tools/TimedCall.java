package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.memory.MemoryAccess;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
 * One tool call on a bus thread: inside an {@code execute_tool} span, with the tool's timeout,
 * stopped when the run is cancelled or the caller interrupted, with every exception turned into a
 * {@link ToolResult.Failure} and the result capped in size. Deadlines come from the bus's clock;
 * the wait itself is measured on {@link System#nanoTime()}, as a timed {@link Future#get} is.
 */
final class TimedCall {
  private static final Logger log = LoggerFactory.getLogger(ToolBus.class);

  /** How often a waiting caller looks at the run's cancellation flag. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  // OpenTelemetry GenAI semantic-convention keys (the incubating semconv artifact conflicts; see
  // docs/dependencies.md)
  private static final AttributeKey<String> GEN_AI_OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<String> GEN_AI_TOOL_NAME =
      AttributeKey.stringKey("gen_ai.tool.name");
  private static final AttributeKey<String> GEN_AI_TOOL_CALL_ID =
      AttributeKey.stringKey("gen_ai.tool.call.id");
  private static final AttributeKey<String> GEN_AI_TOOL_TYPE =
      AttributeKey.stringKey("gen_ai.tool.type");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** Content events of {@code execute_tool} spans (agent-telemetry's {@code ContentKind} names). */
  private static final String TOOL_ARGUMENTS_EVENT = "agentrt.tool.arguments";

  private static final AttributeKey<String> TOOL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  private static final String TOOL_RESULT_EVENT = "agentrt.tool.result";
  private static final AttributeKey<String> TOOL_RESULT =
      AttributeKey.stringKey("gen_ai.tool.call.result");

  private final ToolPolicy policy;
  private final Clock clock;
  private final ExecutorService threads;
  private final Tracer tracer;

  private final MemoryAccess.Source memory;

  TimedCall(
      ToolPolicy policy,
      Clock clock,
      ExecutorService threads,
      Tracer tracer,
      MemoryAccess.Source memory) {
    this.memory = memory;
    this.policy = policy;
    this.clock = clock;
    this.threads = threads;
    this.tracer = tracer;
  }

  /** The bus's own pool: cached daemon threads named {@code agentrt-tool-<n>}. */
  static ExecutorService defaultPool() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "agentrt-tool-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Calls the tool in an {@code execute_tool} span, a child of the caller's current span. */
  ToolResult execute(RegisteredTool r, ToolInvocation inv) {
    String name = r.name();
    Span span =
        tracer
            .spanBuilder("execute_tool " + name)
            .setAttribute(GEN_AI_OPERATION, "execute_tool")
            .setAttribute(GEN_AI_TOOL_NAME, name)
            .setAttribute(GEN_AI_TOOL_CALL_ID, inv.callId())
            .setAttribute(GEN_AI_TOOL_TYPE, "function")
            .startSpan();
    // content: exported in debug mode only, redacted and capped (agent-telemetry drops it
    // otherwise)
    if (span.isRecording())
      span.addEvent(
          TOOL_ARGUMENTS_EVENT, Attributes.of(TOOL_ARGUMENTS, inv.arguments().toString()));
    try {
      ToolResult result = executeIn(r, inv, Context.current().with(span));
      if (span.isRecording()) {
        span.addEvent(
            TOOL_RESULT_EVENT, Attributes.of(TOOL_RESULT, ResultCodec.encode(result).toString()));
      }
      if (result instanceof ToolResult.Failure f) {
        span.setStatus(StatusCode.ERROR, f.message());
        span.setAttribute(ERROR_TYPE, f.kind().name());
      }
      return result;
    } finally {
      span.end();
    }
  }

  private ToolResult executeIn(RegisteredTool r, ToolInvocation inv, Context traced) {
    String name = r.name();
    if (inv.cancelled().getAsBoolean())
      return failure(ToolFailureKind.CANCELLED, r, inv, "was not started: the run was cancelled");
    Instant deadline = clock.instant().plus(r.settings().timeout());
    ToolCall call = new ToolCall(inv.callId(), name, inv.arguments(), inv.idempotencyKey());
    CallContext ctx = new CallContext(r, deadline, inv);
    Future<ToolResult> f;
    try {
      f = threads.submit(traced.wrap(() -> r.tool().execute(call, ctx)));
    } catch (RuntimeException e) {
      return failure(ToolFailureKind.ERROR, r, inv, "could not be started: " + e);
    }
    ctx.future = f;
    ToolResult result;
    try {
      result = await(f, r, inv);
    } catch (TimeoutException e) {
      f.cancel(true);
      return failure(
          ToolFailureKind.TIMEOUT,
          r,
          inv,
          "timed out after "
              + ResultCodec.human(r.settings().timeout())
              + " (raise policy.tools."
              + name
              + ".timeout in config.yml)");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      return failure(
          ToolFailureKind.CANCELLED, r, inv, "was stopped: the calling thread was interrupted");
    } catch (CancellationException e) {
      return failure(ToolFailureKind.CANCELLED, r, inv, "was cancelled");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      log.debug("tool '{}' threw in call {}", name, inv.callId(), c);
      String msg = c.getMessage();
      return failure(
          ToolFailureKind.ERROR,
          r,
          inv,
          "failed: " + c.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
    }
    if (result == null) {
      return failure(
          ToolFailureKind.ERROR,
          r,
          inv,
          "returned no result (a tool must return ToolResult.success(...) or "
              + "ToolResult.failure(...))");
    }
    return ResultCodec.cap(result, r.settings().maxOutputBytes());
  }

  /**
   * Waits for the tool until its timeout, looking at the run's cancellation flag in between; a
   * cancelled run cancels the call and returns its {@code CANCELLED} failure.
   */
  private @Nullable ToolResult await(Future<ToolResult> f, RegisteredTool r, ToolInvocation inv)
      throws TimeoutException, InterruptedException, ExecutionException {
    long deadlineNanos = System.nanoTime() + r.settings().timeout().toNanos();
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) throw new TimeoutException();
      try {
        return f.get(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (inv.cancelled().getAsBoolean()) {
          f.cancel(true);
          return failure(ToolFailureKind.CANCELLED, r, inv, "was stopped: the run was cancelled");
        }
      }
    }
  }

  private static ToolResult.Failure failure(
      ToolFailureKind kind, RegisteredTool r, ToolInvocation inv, String what) {
    return new ToolResult.Failure(
        kind, "tool '" + r.name() + "': call " + inv.callId() + " " + what);
  }

  /**
   * The context a tool sees: the policy's workspace and hosts, its settings, deadline and
   * cancellation.
   */
  private final class CallContext implements ToolContext {
    private final RegisteredTool r;
    private final Instant deadline;
    private final ToolInvocation inv;
    volatile @Nullable Future<ToolResult> future;

    CallContext(RegisteredTool r, Instant deadline, ToolInvocation inv) {
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
      return policy.settings(r.name()).deepCopy();
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
    public MemoryAccess memory() {
      return memory.forCall(inv.runId(), inv.agent());
    }

    @Override
    public boolean isCancelled() {
      Future<ToolResult> f = future;
      return (f != null && f.isCancelled())
          || inv.cancelled().getAsBoolean()
          || Thread.currentThread().isInterrupted()
          || !clock.instant().isBefore(deadline);
    }
  }
}
