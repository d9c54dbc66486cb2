package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every step is a span under the run's root span; forks' steps are siblings under the fork; logs
 * carry the MDC.
 */
class TracingTest {
  @TempDir Path dir;
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk otel;

  private static final String WF =
      """
      id: traced
      nodes:
        - {id: start, role: start}
        - {id: fan, role: branch}
        - {id: left, kind: function, function: log}
        - {id: right, kind: function, function: log}
        - {id: joined, role: merge}
        - {id: each, role: split, items: input.items}
        - {id: item, kind: function, function: log}
        - {id: items, role: merge}
        - {id: again, kind: transform, template: x}
        - {id: done, role: exit}
      edges:
        - {from: start, to: fan}
        - {from: fan, to: left}
        - {from: fan, to: right}
        - {from: left, to: joined}
        - {from: right, to: joined}
        - {from: joined, to: each}
        - {from: each, to: item}
        - {from: item, to: items}
        - {from: items, to: again}
        - {id: loop, from: again, to: again, loop: {max: 1, exhausted: done}}
      """;

  @BeforeEach
  void sdk() {
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
  }

  @AfterEach
  void close() {
    otel.close();
  }

  @Test
  void run_withSdk_emitsRunNodeRouteAndCheckpointSpansInATree() {
    try (AgentRuntime rt =
        runtime(dir, WF)
            .openTelemetry(otel)
            .function("log", (in, ctx) -> NullNode.getInstance())
            .build()) {
      RunResult r = rt.run("traced", Map.of("items", List.of(1, 2)));
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);

      List<SpanData> spans = exporter.getFinishedSpanItems();
      Map<String, SpanData> byId =
          spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
      SpanData root = only(spans, "agentrt.run traced");
      assertThat(root.getParentSpanContext().isValid()).isFalse();
      assertThat(root.getAttributes().get(AttributeKey.stringKey("agentrt.run.id")))
          .isEqualTo(r.runId());
      assertThat(root.getAttributes().get(AttributeKey.stringKey("agentrt.run.status")))
          .isEqualTo("COMPLETED");

      Map<String, SpanData> nodes =
          spans.stream()
              .filter(s -> s.getName().startsWith("agentrt.node "))
              .collect(
                  Collectors.toMap(
                      s -> s.getAttributes().get(AttributeKey.stringKey("agentrt.step.key")),
                      Function.identity()));
      assertThat(nodes.keySet()).containsExactlyInAnyOrderElementsOf(Fixture.keys(r));
      assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));

      // top-level steps are children of the run; fork steps are siblings under their fork's span
      for (String top :
          List.of(
              "start#0",
              "fan#0",
              "joined#0",
              "each#0",
              "items#0",
              "again#0",
              "again#1",
              "done#0")) {
        assertThat(nodes.get(top).getParentSpanId()).as(top).isEqualTo(root.getSpanId());
      }
      assertThat(nodes.get("fan#0[left]/left#0").getParentSpanId())
          .isEqualTo(nodes.get("fan#0").getSpanId());
      assertThat(nodes.get("fan#0[right]/right#0").getParentSpanId())
          .isEqualTo(nodes.get("fan#0").getSpanId());
      assertThat(nodes.get("each#0[1]/item#0").getParentSpanId())
          .isEqualTo(nodes.get("each#0").getSpanId());
      assertThat(
              nodes.get("fan#0").getAttributes().get(AttributeKey.stringKey("agentrt.node.role")))
          .isEqualTo("branch");
      assertThat(
              nodes.get("again#1").getAttributes().get(AttributeKey.longKey("agentrt.hop.count")))
          .isPositive();

      List<SpanData> routes =
          spans.stream().filter(s -> s.getName().equals("agentrt.route")).toList();
      SpanData loopRoute =
          routes.stream()
              .filter(
                  s ->
                      "again#0"
                          .equals(
                              s.getAttributes().get(AttributeKey.stringKey("agentrt.step.key"))))
              .findFirst()
              .orElseThrow();
      assertThat(loopRoute.getParentSpanId()).isEqualTo(nodes.get("again#0").getSpanId());
      assertThat(loopRoute.getAttributes().get(AttributeKey.stringKey("agentrt.route.reason")))
          .isEqualTo("loop");
      assertThat(loopRoute.getAttributes().get(AttributeKey.longKey("agentrt.loop.remaining")))
          .isZero();
      assertThat(
              loopRoute
                  .getAttributes()
                  .get(AttributeKey.stringArrayKey("agentrt.route.candidates")))
          .containsExactly("loop");

      List<SpanData> checkpoints =
          spans.stream().filter(s -> s.getName().equals("agentrt.checkpoint")).toList();
      assertThat(checkpoints).hasSize(r.steps().size());
      assertThat(checkpoints)
          .allSatisfy(
              c -> assertThat(byId.get(c.getParentSpanId()).getName()).startsWith("agentrt.node "));
    }
  }

  @Test
  void run_failingStep_marksItsSpanAndTheRunSpanAsErrors() {
    String wf =
        """
        id: failing
        nodes:
          - {id: start, role: start}
          - {id: boom, kind: function, function: boom}
          - {id: done, role: exit}
        edges:
          - {from: start, to: boom}
          - {from: boom, to: done}
        """;
    try (AgentRuntime rt =
        runtime(dir, wf)
            .openTelemetry(otel)
            .function(
                "boom",
                (in, ctx) -> {
                  throw new IllegalStateException("disk on fire");
                })
            .build()) {
      RunResult r = rt.run("failing", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      SpanData boom = only(exporter.getFinishedSpanItems(), "agentrt.node boom");
      assertThat(boom.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(boom.getStatus().getDescription()).isEqualTo("disk on fire");
      assertThat(boom.getEvents()).extracting(e -> e.getName()).containsExactly("exception");
      SpanData root = only(exporter.getFinishedSpanItems(), "agentrt.run failing");
      assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
  }

  @Test
  void run_parallelBranches_logLinesCarryRunIdAndStepKey() {
    Logger logger = (Logger) LoggerFactory.getLogger("traced.test");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (AgentRuntime rt =
        runtime(dir, WF)
            .function(
                "log",
                (in, ctx) -> {
                  logger.warn("working");
                  return TextNode.valueOf("ok");
                })
            .build()) {
      RunResult r = rt.run("traced", Map.of("items", List.of(1, 2)));

      assertThat(appender.list).hasSize(4);
      assertThat(appender.list)
          .allSatisfy(
              e -> assertThat(e.getMDCPropertyMap()).containsEntry("agentrt.run.id", r.runId()));
      assertThat(appender.list)
          .extracting(e -> e.getMDCPropertyMap().get("agentrt.step.key"))
          .containsExactlyInAnyOrder(
              "fan#0[left]/left#0", "fan#0[right]/right#0", "each#0[0]/item#0", "each#0[1]/item#0");
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void resume_startsANewTraceWhoseRootLinksToTheFirstRoot() {
    String wf =
        """
        id: gate
        nodes:
          - {id: start, role: start}
          - {id: approve, kind: transform, template: "{{$resume.approve}}", interrupt: before}
          - {id: done, role: exit}
        edges:
          - {from: start, to: approve}
          - {from: approve, to: done}
        """;
    try (AgentRuntime rt = runtime(dir, wf).openTelemetry(otel).build()) {
      RunResult waiting = rt.run("gate", null);
      SpanData first = only(exporter.getFinishedSpanItems(), "agentrt.run gate");
      exporter.reset();

      RunResult done = rt.resume(waiting.runId(), Map.of("ok", true));

      assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
      SpanData second = only(exporter.getFinishedSpanItems(), "agentrt.run gate");
      assertThat(second.getTraceId()).isNotEqualTo(first.getTraceId());
      assertThat(second.getAttributes().get(AttributeKey.booleanKey("agentrt.run.resumed")))
          .isTrue();
      assertThat(second.getLinks()).hasSize(1);
      assertThat(second.getLinks().get(0).getSpanContext().getTraceId())
          .isEqualTo(first.getTraceId());
      assertThat(second.getLinks().get(0).getSpanContext().getSpanId())
          .isEqualTo(first.getSpanId());
    }
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }
}
