package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.tools.ToolBus;
import io.opentelemetry.api.OpenTelemetry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents with a {@code context_profile:} on the scripted provider: the prompt fitted to the budget
 * (counts checked with jtokkit), what was cut recorded with the first LLM call, the step failed
 * when the system prompt and input alone are too large, a resumed step rebuilt from the record
 * without searching memory, and the spans.
 */
class ContextProfileAgentTest {
  static final Encoding CL100K =
      Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  @TempDir Path dir;
  Path c;
  RecordingStore store = new RecordingStore();
  EchoTool echo = new EchoTool();
  FixedMemory memory =
      new FixedMemory()
          .hit(MemoryScope.PROJECT, "k-high", 0.9, "the retry policy doubles the delay up to 8 s")
          .hit(MemoryScope.PROJECT, "k-mid", 0.5, "StepRunner retries only retryable failures")
          .hit(MemoryScope.TASK, "k-low", 0.2, "an earlier review asked for jitter");

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(c.resolve("prompts/helper.md"), "Answer questions about {{input.topic}}.");
    agent("context_profile: researcher\n");
    Files.writeString(
        c.resolve("workflows/ask.yml"),
        """
        id: ask
        nodes:
          - {id: start, role: start}
          - {id: ask, kind: agent, agent: helper, input: {topic: input.topic}}
          - {id: done, role: exit, output: "{{ask}}"}
        edges:
          - {from: start, to: ask}
          - {from: ask, to: done}
        """);
    script("turns:\n  - text: done\n");
    profile(100_000);
  }

  @AfterEach
  void tearDown() {
    store.delegate.close();
  }

  void agent(String extra) throws IOException {
    Files.writeString(
        c.resolve("agents/helper.yml"),
        "name: helper\nmodel: offline\nsystem: prompts/helper.md\ntools: [echo]\n" + extra);
  }

  void script(String yaml) throws IOException {
    Files.writeString(c.resolve("scripts/s.yml"), yaml);
  }

  void profile(int maxTokens) throws IOException {
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline: {provider: scripted, script: scripts/s.yml}\n"
            + "context_profiles:\n"
            + "  researcher:\n"
            + "    max_tokens: "
            + maxTokens
            + "\n"
            + "    sections: [system, input, memory, loop_status]\n"
            + "    truncate: lowest_score_first\n"
            + "    memory: {k: 3, scopes: [task, project], query: \"{{input.topic}}\", mode: sparse}\n");
  }

  RunResult run() {
    return run(OpenTelemetry.noop());
  }

  RunResult run(OpenTelemetry otel) {
    try (ToolBus bus = ToolBus.builder().tool(echo).build();
        AgentNodeExecutor agents = agents(bus, otel);
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(c)
                .checkpointStore(store)
                .nodeExecutor(agents)
                .openTelemetry(otel)
                .build()) {
      return rt.run("ask", Map.of("topic", "retry policy"));
    }
  }

  AgentNodeExecutor agents(ToolBus bus, OpenTelemetry otel) {
    return AgentNodeExecutor.builder().toolBus(bus).memory(memory).openTelemetry(otel).build();
  }

  List<CallRecord> llmCalls() {
    return store.calls.stream().filter(x -> x.kind() == CallKind.LLM).toList();
  }

  static String text(CallRecord call, int message) {
    return call.request().path("messages").get(message).path("text").asText();
  }

  static JsonNode section(CallRecord call, String name) {
    for (JsonNode s : call.request().path("context").path("sections"))
      if (s.path("section").asText().equals(name)) return s;
    throw new AssertionError("no section " + name + " in " + call.request().path("context"));
  }

  /** The context's tokens when nothing is cut. */
  int uncutTokens() {
    RunResult r = run();
    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    int tokens = llmCalls().get(0).request().path("context").path("tokens").asInt();
    store.calls.clear();
    memory.searches.clear();
    return tokens;
  }

  @Test
  void run_underBudget_everyHitInScoreOrderAndSearchAsConfigured() {
    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    CallRecord first = llmCalls().get(0);
    assertThat(text(first, 0)).isEqualTo("Answer questions about retry policy.");
    assertThat(text(first, 1))
        .endsWith(
            "\n\nFrom memory (best first):"
                + "\n- [project/k-high] the retry policy doubles the delay up to 8 s"
                + "\n- [project/k-mid] StepRunner retries only retryable failures"
                + "\n- [task/k-low] an earlier review asked for jitter");
    assertThat(memory.searches).hasSize(1);
    var q = memory.searches.get(0);
    assertThat(q.text()).isEqualTo("retry policy");
    assertThat(q.k()).isEqualTo(3);
    assertThat(q.mode()).isEqualTo(SearchMode.SPARSE);
    assertThat(q.spaces())
        .containsExactly(
            MemorySpace.task(r.runId()),
            // owned by the name of the directory holding .agent/, as memory.save's project space
            MemorySpace.project(c.toAbsolutePath().getParent().getFileName().toString()));
  }

  @Test
  void run_overBudget_cutsLowestScoringHitFitsExactlyAndRecordsWhatWasCut() throws IOException {
    int uncut = uncutTokens();
    profile(uncut - 1);

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    CallRecord first = llmCalls().get(0);
    String system = text(first, 0);
    String user = text(first, 1);
    assertThat(user).contains("[project/k-high]", "[project/k-mid]").doesNotContain("k-low");
    JsonNode context = first.request().path("context");
    int exact = CL100K.countTokensOrdinary(system) + CL100K.countTokensOrdinary(user);
    assertThat(context.path("tokens").asInt()).isEqualTo(exact).isLessThanOrEqualTo(uncut - 1);
    assertThat(context.path("profile").asText()).isEqualTo("researcher");
    assertThat(context.path("max_tokens").asInt()).isEqualTo(uncut - 1);
    assertThat(context.path("encoding").asText()).isEqualTo("cl100k_base");
    JsonNode mem = section(first, "memory");
    assertThat(mem.path("kept").asInt()).isEqualTo(2);
    assertThat(mem.path("cut").asInt()).isEqualTo(1);
    assertThat(mem.path("hits").findValuesAsText("key"))
        .containsExactly("k-high", "k-mid", "k-low");
    assertThat(mem.path("hits").findValues("score"))
        .extracting(JsonNode::asDouble)
        .containsExactly(0.9, 0.5, 0.2);
    assertThat(section(first, "system").path("tokens").asInt())
        .isEqualTo(CL100K.countTokensOrdinary(system));
  }

  @Test
  void run_noProfile_promptExactlyAsBeforeAndMemoryNotSearched() throws IOException {
    agent("");

    RunResult r = run();

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    CallRecord first = llmCalls().get(0);
    assertThat(first.request().has("context")).isFalse();
    assertThat(first.request().path("messages")).hasSize(2);
    assertThat(text(first, 1)).isEqualTo("{\n  \"topic\" : \"retry policy\"\n}");
    assertThat(memory.searches).isEmpty();
  }

  @Test
  void run_systemAndInputAloneOverBudget_failsStepNamingProfileAndCounts() throws IOException {
    profile(5);

    RunResult r = run();

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains("node 'ask': agent 'helper': context profile 'researcher': the system prompt (")
        .contains(" tokens, over max_tokens 5 (cl100k_base; raise context_profiles.researcher");
    assertThat(llmCalls()).isEmpty();
  }

  @Test
  void resume_afterCrash_identicalPromptAndHashFromRecordWithoutSearchingAgain()
      throws IOException {
    int uncut = uncutTokens();
    profile(uncut - 1);
    script(
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: one}}]\n"
            + "  - text: final\n");
    store.crashAfterCalls = 2; // llm #0 and tool #1 are recorded; recording llm #2 "crashes"
    String runId = run().runId();
    assertThat(store.delegate.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(memory.searches).hasSize(1);
    CallRecord before = llmCalls().get(0);
    store.crashed = false;
    store.crashAfterCalls = Integer.MAX_VALUE;
    // memory changed meanwhile: a new search would put other hits into the prompt
    memory.items.clear();
    memory.hit(MemoryScope.PROJECT, "k-new", 0.99, "something learnt since");

    RunResult resumed;
    try (ToolBus bus = ToolBus.builder().tool(echo).build();
        AgentNodeExecutor agents = agents(bus, OpenTelemetry.noop());
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(c)
                .checkpointStore(store)
                .nodeExecutor(agents)
                .build()) {
      resumed = rt.resume(runId, null);
    }

    // a different prompt would have failed the step: "call 0 differs from the one recorded"
    assertThat(resumed.status())
        .as(String.valueOf(resumed.message()))
        .isEqualTo(RunStatus.COMPLETED);
    assertThat(resumed.output().asText()).isEqualTo("final");
    assertThat(memory.searches).as("searches, first run only").hasSize(1);
    assertThat(echo.calls.get()).isEqualTo(1);
    List<CallRecord> llm = llmCalls();
    assertThat(llm).extracting(CallRecord::index).containsExactly(0, 2);
    CallRecord after = llm.get(1);
    assertThat(text(after, 0)).isEqualTo(text(before, 0));
    assertThat(text(after, 1)).isEqualTo(text(before, 1)).doesNotContain("k-new");
    assertThat(store.delegate.calls(runId).get(0).requestHash()).isEqualTo(before.requestHash());
  }

  @Test
  void run_withTracing_assembleSpanUnderAgentAndSearchSpanUnderAssemble() throws IOException {
    int uncut = uncutTokens();
    profile(uncut - 1);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build()) {
      RunResult r = run(otel);
      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      spans = exporter.getFinishedSpanItems(); // closing the SDK empties the exporter
    }

    SpanData agent = only(spans, "invoke_agent helper");
    SpanData assemble = only(spans, "agentrt.context.assemble");
    SpanData search = only(spans, "agentrt.memory.search");
    assertThat(assemble.getParentSpanId()).isEqualTo(agent.getSpanId());
    assertThat(search.getParentSpanId()).isEqualTo(assemble.getSpanId());
    CallRecord first = llmCalls().get(0);
    var a = assemble.getAttributes();
    assertThat(a.get(AttributeKey.stringKey("agentrt.context.profile"))).isEqualTo("researcher");
    assertThat(a.get(AttributeKey.longKey("agentrt.context.tokens")))
        .isEqualTo(first.request().path("context").path("tokens").asLong());
    assertThat(a.get(AttributeKey.longKey("agentrt.context.tokens.system")))
        .isEqualTo(CL100K.countTokensOrdinary(text(first, 0)));
    assertThat(a.get(AttributeKey.longKey("agentrt.context.tokens.memory"))).isPositive();
    assertThat(a.get(AttributeKey.longKey("agentrt.context.cut.memory"))).isEqualTo(1L);
    assertThat(a.get(AttributeKey.longKey("agentrt.context.cut.loop_status"))).isZero();
    assertThat(a.get(AttributeKey.booleanKey("agentrt.context.replayed"))).isFalse();
    var s = search.getAttributes();
    assertThat(s.get(AttributeKey.stringKey("agentrt.memory.mode"))).isEqualTo("sparse");
    assertThat(s.get(AttributeKey.longKey("agentrt.memory.k"))).isEqualTo(3L);
    assertThat(s.get(AttributeKey.longKey("agentrt.memory.hits"))).isEqualTo(3L);
    assertThat(s.get(AttributeKey.stringArrayKey("agentrt.memory.scopes")))
        .containsExactly("task", "project");
    // the query is content: only as the prompt event, which agent-telemetry exports in debug mode
    assertThat(s.asMap().values()).noneMatch(v -> String.valueOf(v).contains("retry policy"));
    assertThat(search.getEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("gen_ai.content.prompt");
              assertThat(e.getAttributes().get(AttributeKey.stringKey("gen_ai.prompt")))
                  .isEqualTo("retry policy");
            });
  }

  @Test
  void run_executorWithoutMemory_failsStepSayingHowToGiveItOne() {
    RunResult r;
    try (ToolBus bus = ToolBus.builder().tool(echo).build();
        AgentNodeExecutor agents = AgentNodeExecutor.builder().toolBus(bus).build();
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(c)
                .checkpointStore(store)
                .nodeExecutor(agents)
                .build()) {
      r = rt.run("ask", Map.of("topic", "retry policy"));
    }

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message())
        .contains(
            "node 'ask': agent 'helper': context profile 'researcher': memory search failed: this"
                + " agent executor has no memory (give it one with"
                + " AgentNodeExecutor.builder().memory(...)");
    assertThat(llmCalls()).isEmpty();
  }

  @Test
  void run_providerWithItsOwnTokenCounter_budgetCountedWithIt() throws IOException {
    Files.writeString(
        c.resolve("config.yml"),
        Files.readString(c.resolve("config.yml"))
            .replace("provider: scripted, script: scripts/s.yml", "provider: chars")
            .replace("max_tokens: 100000", "max_tokens: 200"));
    dev.agentrt.llm.spi.ModelProvider chars =
        new dev.agentrt.llm.spi.ModelProvider() {
          @Override
          public String name() {
            return "chars";
          }

          @Override
          public dev.langchain4j.model.chat.ChatModel create(dev.agentrt.llm.spi.ModelSetup setup) {
            return new dev.langchain4j.model.chat.ChatModel() {
              @Override
              public dev.langchain4j.model.chat.response.ChatResponse doChat(
                  dev.langchain4j.model.chat.request.ChatRequest request) {
                return dev.langchain4j.model.chat.response.ChatResponse.builder()
                    .aiMessage(dev.langchain4j.data.message.AiMessage.from("ok"))
                    .build();
              }
            };
          }

          @Override
          public dev.agentrt.llm.spi.TokenCounter tokenCounter(
              dev.agentrt.llm.spi.ModelSetup setup) {
            return new dev.agentrt.llm.spi.TokenCounter() {
              @Override
              public int count(String text) {
                return text.length();
              }

              @Override
              public String encoding() {
                return "chars";
              }
            };
          }
        };
    RunResult r;
    try (ToolBus bus = ToolBus.builder().tool(echo).build();
        AgentNodeExecutor agents =
            AgentNodeExecutor.builder().toolBus(bus).modelProvider(chars).memory(memory).build();
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(c)
                .checkpointStore(store)
                .nodeExecutor(agents)
                .build()) {
      r = rt.run("ask", Map.of("topic", "retry policy"));
    }

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    CallRecord first = llmCalls().get(0);
    JsonNode context = first.request().path("context");
    assertThat(context.path("encoding").asText()).isEqualTo("chars");
    assertThat(context.path("tokens").asInt())
        .isEqualTo(text(first, 0).length() + text(first, 1).length())
        .isLessThanOrEqualTo(200);
    assertThat(section(first, "memory").path("cut").asInt()).isPositive();
  }

  static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }
}
