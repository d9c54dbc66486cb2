package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The span tree of a workflow with a branch, a split, a loop and an agent node that makes two tool
 * calls (scripted model): names, parent links and key attributes.
 */
class AgentTracingTest {
  @TempDir Path dir;

  @Test
  void run_agentWithTwoToolCallsInBranchSplitAndLoop_emitsTheExpectedSpanTree() throws IOException {
    Path c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    // the store in memory (also the default without checkpoint:): nothing is written to the working
    // directory
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
            + "  - tool_calls: [{name: echo, arguments: {text: a}}, {name: echo, arguments: {text: b}}]\n"
            + "    usage: {input_tokens: 10, output_tokens: 4}\n"
            + "  - text: done\n"
            + "    usage: {input_tokens: 30, output_tokens: 2}\n");
    Files.writeString(
        c.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: fan, role: branch}
          - {id: ask, kind: agent, agent: helper}
          - {id: side, kind: transform, template: side}
          - {id: joined, role: merge}
          - {id: each, role: split, items: input.items}
          - {id: item, kind: transform, template: "{{$item}}"}
          - {id: items, role: merge}
          - {id: again, kind: transform, template: x}
          - {id: done, role: exit}
        edges:
          - {from: start, to: fan}
          - {from: fan, to: ask}
          - {from: fan, to: side}
          - {from: ask, to: joined}
          - {from: side, to: joined}
          - {from: joined, to: each}
          - {from: each, to: item}
          - {from: item, to: items}
          - {from: items, to: again}
          - {id: loop, from: again, to: again, loop: {max: 1, exhausted: done}}
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
      RunResult r = rt.run("w", Map.of("topic", "maths", "items", List.of(1, 2)));
      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);

      List<SpanData> spans = exporter.getFinishedSpanItems();
      Map<String, SpanData> byId =
          spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
      // every span as "name <- parent name", to compare the whole tree at once
      Map<String, Long> tree =
          spans.stream()
              .filter(
                  s ->
                      !s.getName().equals("agentrt.route")
                          && !s.getName().equals("agentrt.checkpoint"))
              .collect(
                  Collectors.groupingBy(
                      s ->
                          label(s)
                              + " <- "
                              + (s.getParentSpanContext().isValid()
                                  ? label(byId.get(s.getParentSpanId()))
                                  : "(root)"),
                      TreeMap::new,
                      Collectors.counting()));
      assertThat(tree)
          .containsExactlyEntriesOf(
              new TreeMap<>(
                  Map.ofEntries(
                      Map.entry("agentrt.run w <- (root)", 1L),
                      Map.entry("agentrt.node start#0 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node fan#0 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node fan#0[ask]/ask#0 <- agentrt.node fan#0", 1L),
                      Map.entry("agentrt.node fan#0[side]/side#0 <- agentrt.node fan#0", 1L),
                      Map.entry("invoke_agent helper <- agentrt.node fan#0[ask]/ask#0", 1L),
                      Map.entry("chat offline <- invoke_agent helper", 2L),
                      Map.entry("execute_tool echo <- invoke_agent helper", 2L),
                      Map.entry("agentrt.node joined#0 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node each#0 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node each#0[0]/item#0 <- agentrt.node each#0", 1L),
                      Map.entry("agentrt.node each#0[1]/item#0 <- agentrt.node each#0", 1L),
                      Map.entry("agentrt.node items#0 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node again#0 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node again#1 <- agentrt.run w", 1L),
                      Map.entry("agentrt.node done#0 <- agentrt.run w", 1L))));

      List<SpanData> chats =
          spans.stream().filter(s -> s.getName().equals("chat offline")).toList();
      assertThat(chats)
          .extracting(s -> s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
          .containsExactlyInAnyOrder(10L, 30L);
      assertThat(chats)
          .allSatisfy(
              s -> {
                assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
                    .isEqualTo("chat");
                assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                    .isEqualTo("scripted");
              });
      assertThat(spans)
          .filteredOn(s -> s.getName().equals("execute_tool echo"))
          .allSatisfy(
              s ->
                  assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
                      .isEqualTo("echo"));
      assertThat(spans)
          .filteredOn(s -> s.getName().equals("invoke_agent helper"))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")))
                      .isEqualTo("helper"));
    }
  }

  /** A node span by its step key (unique), other spans by name. */
  private static String label(SpanData s) {
    String key = s.getAttributes().get(AttributeKey.stringKey("agentrt.step.key"));
    return s.getName().startsWith("agentrt.node ") && key != null
        ? "agentrt.node " + key
        : s.getName();
  }
}
