package dev.agentrt.telemetry;

import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.telemetry.internal.Redactor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RunListener} that turns run events into metrics:
 *
 * <ul>
 *   <li>{@code agentrt.node.duration} (histogram, seconds): one per finished step, with {@code
 *       agentrt.workflow.id}, {@code agentrt.node.id} and {@code agentrt.step.outcome} ({@code
 *       completed} or {@code failed});
 *   <li>{@code agentrt.runs.active} (up-down counter, {@code {run}}): runs executing now, by {@code
 *       agentrt.workflow.id};
 *   <li>{@code agentrt.runs.finished} (counter, {@code {run}}): runs that stopped, by {@code
 *       agentrt.workflow.id} and {@code agentrt.run.status} ({@code completed}, {@code failed},
 *       {@code cancelled}, ... or {@code waiting} for a suspended run), plus {@code
 *       agentrt.failure.reason} for runs that did not complete.
 *   <li>{@code agentrt.step.retries} (counter, {@code {retry}}): failed attempts that are retried.
 *   <li>{@code agentrt.tool.calls} (counter, {@code {call}}) and {@code agentrt.tool.duration}
 *       (histogram, seconds): tool calls, by {@code agentrt.workflow.id}, {@code gen_ai.tool.name}
 *       ({@code _OTHER} for a name no tool has, so a model cannot create new series) and {@code
 *       agentrt.tool.outcome} ({@code ok}, or the failure kind: {@code error}, {@code denied},
 *       {@code timeout}, ...).
 * </ul>
 *
 * <p>Attributes have a fixed set of keys and values from the workflow files or enums; they pass
 * through redaction as well. Thread-safe; never throws. A run whose start this listener did not see
 * is not counted as active.
 *
 * @since 0.1
 */
public final class MetricsListener implements RunListener {
  static final String SCOPE = "dev.agentrt";

  static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("agentrt.workflow.id");
  static final AttributeKey<String> NODE_ID = AttributeKey.stringKey("agentrt.node.id");
  static final AttributeKey<String> STEP_OUTCOME = AttributeKey.stringKey("agentrt.step.outcome");
  static final AttributeKey<String> RUN_STATUS = AttributeKey.stringKey("agentrt.run.status");
  static final AttributeKey<String> FAILURE_REASON =
      AttributeKey.stringKey("agentrt.failure.reason");
  static final AttributeKey<String> TOOL_OUTCOME = AttributeKey.stringKey("agentrt.tool.outcome");

  private final DoubleHistogram nodeDuration;
  private final LongUpDownCounter activeRuns;
  private final LongCounter finishedRuns;
  private final LongCounter retries;
  private final LongCounter toolCalls;
  private final DoubleHistogram toolDuration;
  private final Supplier<Redactor> redactor;
  private final GenAiMetrics genAi;
  private final Map<String, ActiveRun> runs = new ConcurrentHashMap<>();

  MetricsListener(Meter meter, Supplier<Redactor> redactor, GenAiMetrics genAi) {
    this.redactor = redactor;
    this.genAi = genAi;
    this.nodeDuration =
        meter
            .histogramBuilder("agentrt.node.duration")
            .setUnit("s")
            .setDescription(
                "Duration of workflow steps, from first attempt to completion or final failure.")
            .build();
    this.activeRuns =
        meter
            .upDownCounterBuilder("agentrt.runs.active")
            .setUnit("{run}")
            .setDescription("Runs executing now.")
            .build();
    this.finishedRuns =
        meter
            .counterBuilder("agentrt.runs.finished")
            .setUnit("{run}")
            .setDescription("Runs that stopped, by status.")
            .build();
    this.retries =
        meter
            .counterBuilder("agentrt.step.retries")
            .setUnit("{retry}")
            .setDescription("Failed step attempts that are retried.")
            .build();
    this.toolCalls =
        meter
            .counterBuilder("agentrt.tool.calls")
            .setUnit("{call}")
            .setDescription("Tool calls, by tool and outcome.")
            .build();
    this.toolDuration =
        meter
            .histogramBuilder("agentrt.tool.duration")
            .setUnit("s")
            .setDescription("Duration of tool calls, checks included.")
            .build();
  }

  /** A listener recording through {@code openTelemetry}'s meter provider, without redaction. */
  public static MetricsListener create(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    Meter meter = meter(openTelemetry);
    return new MetricsListener(meter, Redactor::none, new GenAiMetrics(meter, Redactor::none));
  }

  static Meter meter(OpenTelemetry openTelemetry) {
    String version = MetricsListener.class.getPackage().getImplementationVersion();
    var builder = openTelemetry.getMeterProvider().meterBuilder(SCOPE);
    if (version != null) builder.setInstrumentationVersion(version);
    return builder.build();
  }

  @Override
  public void runStarted(RunEvent.RunStarted event) {
    ActiveRun run = new ActiveRun(redactor.get().redact(event.workflowId()));
    if (runs.putIfAbsent(event.runId(), run) == null) {
      activeRuns.add(1, Attributes.of(WORKFLOW_ID, run.workflowId));
    }
  }

  @Override
  public void runCompleted(RunEvent.RunCompleted event) {
    finished(event.runId(), event.workflowId(), "completed", null);
  }

  @Override
  public void runFailed(RunEvent.RunFailed event) {
    finished(event.runId(), event.workflowId(), lower(event.status()), lower(event.reason()));
  }

  @Override
  public void runSuspended(RunEvent.RunSuspended event) {
    finished(event.runId(), event.workflowId(), "waiting", lower(event.reason()));
  }

  private void finished(String runId, String workflowId, String status, @Nullable String reason) {
    ActiveRun run = runs.remove(runId);
    String workflow = run != null ? run.workflowId : redactor.get().redact(workflowId);
    if (run != null) activeRuns.add(-1, Attributes.of(WORKFLOW_ID, workflow));
    AttributesBuilder b = Attributes.builder().put(WORKFLOW_ID, workflow).put(RUN_STATUS, status);
    if (reason != null) b.put(FAILURE_REASON, reason);
    finishedRuns.add(1, b.build());
  }

  @Override
  public void stepStarted(RunEvent.StepStarted event) {
    ActiveRun run = runs.get(event.runId());
    if (run != null) run.stepStarts.put(event.stepKey(), event.time());
  }

  @Override
  public void stepCompleted(RunEvent.StepCompleted event) {
    ActiveRun run = runs.get(event.runId());
    if (run != null) run.stepStarts.remove(event.stepKey());
    recordStep(run, event.nodeId(), "completed", event.duration());
  }

  @Override
  public void stepFailed(RunEvent.StepFailed event) {
    ActiveRun run = runs.get(event.runId());
    Instant start = run == null ? null : run.stepStarts.remove(event.stepKey());
    recordStep(
        run,
        event.nodeId(),
        "failed",
        start == null ? null : Duration.between(start, event.time()));
  }

  @Override
  public void stepRetried(RunEvent.StepRetried event) {
    ActiveRun run = runs.get(event.runId());
    retries.add(1, stepAttributes(run, event.nodeId()).build());
  }

  /** Each LLM call made by an agent step feeds the GenAI token, duration and cost instruments. */
  @Override
  public void llmCalled(RunEvent.LlmCalled event) {
    genAi.record(
        event.model(),
        event.inputTokens(),
        event.outputTokens(),
        event.duration().toNanos() / 1e9,
        event.costUsd());
  }

  @Override
  public void toolCalled(RunEvent.ToolCalled event) {
    ActiveRun run = runs.get(event.runId());
    boolean unknown = event.failure() == ToolFailureKind.UNKNOWN_TOOL;
    AttributesBuilder b =
        Attributes.builder()
            .put(
                GenAiAttributes.TOOL_NAME, unknown ? "_OTHER" : redactor.get().redact(event.tool()))
            .put(TOOL_OUTCOME, event.failure() == null ? "ok" : lower(event.failure()));
    if (run != null) b.put(WORKFLOW_ID, run.workflowId);
    Attributes attributes = b.build();
    toolCalls.add(1, attributes);
    if (!event.duration().isNegative())
      toolDuration.record(event.duration().toNanos() / 1e9, attributes);
  }

  private void recordStep(
      @Nullable ActiveRun run, String nodeId, String outcome, @Nullable Duration duration) {
    if (duration == null || duration.isNegative()) return;
    nodeDuration.record(
        duration.toNanos() / 1e9, stepAttributes(run, nodeId).put(STEP_OUTCOME, outcome).build());
  }

  private AttributesBuilder stepAttributes(@Nullable ActiveRun run, String nodeId) {
    AttributesBuilder b = Attributes.builder().put(NODE_ID, redactor.get().redact(nodeId));
    if (run != null) b.put(WORKFLOW_ID, run.workflowId);
    return b;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "MetricsListener{active=" + runs.size() + "}";
  }

  private static final class ActiveRun {
    final String workflowId;
    final Map<String, Instant> stepStarts = new ConcurrentHashMap<>();

    ActiveRun(String workflowId) {
      this.workflowId = workflowId;
    }
  }
}
