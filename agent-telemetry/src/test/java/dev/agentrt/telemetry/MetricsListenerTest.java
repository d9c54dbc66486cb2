package dev.agentrt.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.event.RunEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsListenerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
          .build();
  private final MetricsListener listener = MetricsListener.create(sdk);

  @AfterEach
  void close() {
    sdk.close();
  }

  private List<HistogramPointData> durations() {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("agentrt.node.duration"))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .toList();
  }

  @Test
  void stepFailed_afterStepStarted_recordsDurationFromStartWithFailedOutcome() {
    listener.runStarted(new RunEvent.RunStarted("r", T0, "wf", false));
    listener.stepStarted(new RunEvent.StepStarted("r", T0, "call#1", "call"));
    listener.stepFailed(
        new RunEvent.StepFailed("r", T0.plusMillis(1500), "call#1", "call", 3, "boom"));

    List<HistogramPointData> points = durations();
    assertThat(points).hasSize(1);
    assertThat(points.get(0).getSum()).isEqualTo(1.5);
    assertThat(points.get(0).getAttributes().get(AttributeKey.stringKey("agentrt.step.outcome")))
        .isEqualTo("failed");
    assertThat(points.get(0).getAttributes().get(AttributeKey.stringKey("agentrt.workflow.id")))
        .isEqualTo("wf");
  }

  @Test
  void runFailedAndSuspended_countedByStatusAndReason() {
    listener.runStarted(new RunEvent.RunStarted("a", T0, "wf", false));
    listener.runStarted(new RunEvent.RunStarted("b", T0, "wf", false));
    listener.runFailed(
        new RunEvent.RunFailed(
            "a", T0, "wf", RunStatus.FAILED, FailureReason.values()[0], "x#1", "boom"));
    listener.runSuspended(
        new RunEvent.RunSuspended("b", T0, "wf", "ask#1", FailureReason.values()[0], "waiting"));

    List<String> statuses =
        reader.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("agentrt.runs.finished"))
            .flatMap(m -> m.getLongSumData().getPoints().stream())
            .map(
                p ->
                    p.getAttributes().get(AttributeKey.stringKey("agentrt.run.status"))
                        + "="
                        + p.getValue())
            .toList();
    assertThat(statuses).containsExactlyInAnyOrder("failed=1", "waiting=1");
    long active =
        reader.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("agentrt.runs.active"))
            .flatMap(m -> m.getLongSumData().getPoints().stream())
            .mapToLong(p -> p.getValue())
            .sum();
    assertThat(active).isZero();
  }

  @Test
  void runCompleted_twiceForOneRun_decrementsActiveOnce() {
    listener.runStarted(new RunEvent.RunStarted("a", T0, "wf", false));
    listener.runCompleted(
        new RunEvent.RunCompleted(
            "a",
            T0,
            "wf",
            com.fasterxml.jackson.databind.node.NullNode.getInstance(),
            Duration.ZERO));
    listener.runCompleted(
        new RunEvent.RunCompleted(
            "a",
            T0,
            "wf",
            com.fasterxml.jackson.databind.node.NullNode.getInstance(),
            Duration.ZERO));

    long active =
        reader.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("agentrt.runs.active"))
            .flatMap(m -> m.getLongSumData().getPoints().stream())
            .mapToLong(p -> p.getValue())
            .sum();
    assertThat(active).isZero();
  }

  @Test
  void toolCalled_okAndUnknownTool_countedByToolAndOutcomeWithUnknownNamesFolded() {
    listener.runStarted(new RunEvent.RunStarted("r", T0, "wf", false));
    listener.toolCalled(
        new RunEvent.ToolCalled("r", T0, "a#1", "fs.read", 0, null, Duration.ofMillis(5)));
    listener.toolCalled(
        new RunEvent.ToolCalled(
            "r",
            T0,
            "a#1",
            "made.up.by.model",
            1,
            ToolFailureKind.UNKNOWN_TOOL,
            Duration.ofMillis(1)));

    List<String> calls =
        reader.collectAllMetrics().stream()
            .filter(m -> m.getName().equals("agentrt.tool.calls"))
            .flatMap(m -> m.getLongSumData().getPoints().stream())
            .map(
                p ->
                    p.getAttributes().get(GenAiAttributes.TOOL_NAME)
                        + ":"
                        + p.getAttributes().get(AttributeKey.stringKey("agentrt.tool.outcome"))
                        + "="
                        + p.getValue())
            .toList();
    assertThat(calls).containsExactlyInAnyOrder("fs.read:ok=1", "_OTHER:unknown_tool=1");
  }

  @Test
  void genAiMetrics_record_tokensByTypeDurationAndCost() {
    GenAiMetrics genAi = GenAiMetrics.create(sdk);

    genAi.record("openai", "gpt-test", 120, 30, 0.8, 0.0042);

    List<MetricData> all = List.copyOf(reader.collectAllMetrics());
    List<String> tokens =
        all.stream()
            .filter(m -> m.getName().equals("gen_ai.client.token.usage"))
            .flatMap(m -> m.getHistogramData().getPoints().stream())
            .map(p -> p.getAttributes().get(GenAiAttributes.TOKEN_TYPE) + "=" + (long) p.getSum())
            .toList();
    assertThat(tokens).containsExactlyInAnyOrder("input=120", "output=30");
    assertThat(all)
        .filteredOn(m -> m.getName().equals("gen_ai.client.operation.duration"))
        .singleElement()
        .satisfies(m -> assertThat(m.getUnit()).isEqualTo("s"));
    assertThat(all)
        .filteredOn(m -> m.getName().equals("agentrt.cost.usd"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.getDoubleSumData().getPoints().iterator().next().getValue())
                    .isEqualTo(0.0042));
  }

  @Test
  void llmCalled_feedsGenAiTokenDurationAndCostMetrics() {
    listener.llmCalled(
        new dev.agentrt.core.event.RunEvent.LlmCalled(
            "r1",
            java.time.Instant.EPOCH,
            "ask#0",
            "default",
            0,
            1000,
            200,
            0.004,
            java.time.Duration.ofMillis(250)));

    List<MetricData> all = List.copyOf(reader.collectAllMetrics());
    List<String> tokens =
        all.stream()
            .filter(m -> m.getName().equals("gen_ai.client.token.usage"))
            .flatMap(m -> m.getHistogramData().getPoints().stream())
            .map(p -> p.getAttributes().get(GenAiAttributes.TOKEN_TYPE) + "=" + (long) p.getSum())
            .toList();
    assertThat(tokens).containsExactlyInAnyOrder("input=1000", "output=200");
    assertThat(all)
        .filteredOn(m -> m.getName().equals("gen_ai.client.operation.duration"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.getHistogramData().getPoints().iterator().next().getSum())
                    .isEqualTo(0.25));
    assertThat(all)
        .filteredOn(m -> m.getName().equals("agentrt.cost.usd"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.getDoubleSumData().getPoints().iterator().next().getValue())
                    .isEqualTo(0.004));
  }
}
