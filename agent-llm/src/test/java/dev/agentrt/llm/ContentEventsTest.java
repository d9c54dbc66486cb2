package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content that debug telemetry exports: every {@code chat} span carries the prompt and the
 * completion, every {@code execute_tool} span the arguments and the result, as span events
 * (agent-telemetry keeps them on debug spans only, redacted and capped).
 */
class ContentEventsTest {
  @TempDir Path dir;

  @Test
  void run_agentWithToolCall_chatAndToolSpansCarryContentEvents() throws IOException {
    Path c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline:\n    provider: scripted\n    script: scripts/s.yml\n"
            + "checkpoint: {store: memory}\n");
    Files.writeString(c.resolve("prompts/helper.md"), "Help with {{input.topic}}.");
    Files.writeString(
        c.resolve("agents/helper.yml"),
        "name: helper\nmodel: offline\nsystem: prompts/helper.md\n" + "tools: [echo]\n");
    Files.writeString(
        c.resolve("scripts/s.yml"),
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: alpha}}]\n"
            + "  - text: all done\n");
    Files.writeString(
        c.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: ask, kind: agent, agent: helper}
          - {id: done, role: exit}
        edges:
          - {from: start, to: ask}
          - {from: ask, to: done}
        """);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
        AgentRuntime rt =
            AgentRuntime.builder().configDir(c).tool(new EchoTool()).openTelemetry(otel).build()) {
      RunResult r = rt.run("w", Map.of("topic", "maths"));
      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);

      List<SpanData> spans = exporter.getFinishedSpanItems();
      List<SpanData> chats = spans.stream().filter(s -> s.getName().startsWith("chat ")).toList();
      assertThat(chats).hasSize(2);
      assertThat(text(chats.get(0), "gen_ai.content.prompt", "gen_ai.prompt"))
          .contains("Help with maths.");
      assertThat(text(chats.get(0), "gen_ai.content.completion", "gen_ai.completion"))
          .contains("\"name\":\"echo\"")
          .contains("alpha");
      assertThat(text(chats.get(1), "gen_ai.content.prompt", "gen_ai.prompt"))
          .contains("echo:alpha");
      assertThat(text(chats.get(1), "gen_ai.content.completion", "gen_ai.completion"))
          .contains("all done");

      SpanData tool =
          spans.stream()
              .filter(s -> s.getName().equals("execute_tool echo"))
              .findFirst()
              .orElseThrow();
      assertThat(text(tool, "agentrt.tool.arguments", "gen_ai.tool.call.arguments"))
          .isEqualTo("{\"text\":\"alpha\"}");
      assertThat(text(tool, "agentrt.tool.result", "gen_ai.tool.call.result"))
          .contains("echo:alpha");
    }
  }

  private static String text(SpanData span, String event, String key) {
    EventData e =
        span.getEvents().stream()
            .filter(x -> x.getName().equals(event))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "span '"
                            + span.getName()
                            + "' has no event "
                            + event
                            + ": "
                            + span.getEvents()));
    return e.getAttributes().get(AttributeKey.stringKey(key));
  }
}
