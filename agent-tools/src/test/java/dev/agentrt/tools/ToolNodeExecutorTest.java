package dev.agentrt.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kind: tool} nodes, run by a real runtime that discovers the executor through
 * ServiceLoader.
 */
class ToolNodeExecutorTest {
  @TempDir Path dir;
  Path config;
  Path ws;

  @BeforeEach
  void setUp() throws IOException {
    config = Files.createDirectories(dir.resolve(".agent/workflows"));
    ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(ws.resolve("notes.txt"), "one\ntwo\nthree\n");
    Files.writeString(
        dir.resolve(".agent/config.yml"),
        "policy:\n  workspace: " + ws + "\n" + "  tools:\n    http: {enabled: false}\n");
  }

  void workflow(String toolNode) throws IOException {
    Files.writeString(
        config.resolve("read.yml"),
        "id: read\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - "
            + toolNode
            + "\n"
            + "  - {id: done, role: exit, output: \"{{read}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: read}\n"
            + "  - {from: read, to: done}\n");
  }

  AgentRuntime runtime() {
    return AgentRuntime.builder().configDir(dir.resolve(".agent")).build();
  }

  @Test
  void run_toolNodeWithArgsFromState_completesWithToolResult() throws IOException {
    workflow(
        "{id: read, kind: tool, tool: fs.read, args: {path: \"{{input.file}}\", start_line: 2, end_line: 2}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("read", Map.of("file", "notes.txt"));

      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().get("content")).isEqualTo(TextNode.valueOf("two\n"));
      assertThat(r.output().get("total_lines").asInt()).isEqualTo(3);
      assertThat(r.usage().toolCalls()).isEqualTo(1);
    }
  }

  @Test
  void run_toolReturnsFailure_failsStepWithToolMessage() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.read, args: {path: \"{{input.file}}\"}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("read", Map.of("file", "../etc/passwd"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.message())
          .contains(
              "path '../etc/passwd' is refused: '..' is not allowed (give a path inside the workspace without '..')");
    }
  }

  @Test
  void run_argsPathMissingFromState_failsNamingPath() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.read, args: {path: \"{{input.file}}\"}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("read", Map.of("name", "notes.txt"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.message())
          .contains("node 'read': args: template path 'input.file' is not in state");
    }
  }

  @Test
  void load_unknownTool_reportsFileLineColumnAndSuggestion() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.reed, args: {path: notes.txt}}");

    assertThatThrownBy(this::runtime)
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "1 problem in the agent configuration:\n"
                + "workflows/read.yml:4:34: node 'read': unknown tool 'fs.reed' (did you mean 'fs.read'?)");
  }

  @Test
  void load_constantArgsNotMatchingSchema_reportsValidationMessage() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.read, args: {file: notes.txt}}");

    assertThatThrownBy(this::runtime)
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "1 problem in the agent configuration:\n"
                + "workflows/read.yml:4:49: node 'read': tool 'fs.read': invalid arguments: property 'file' is not defined in the "
                + "schema and the schema does not allow additional properties; required property 'path' not found");
  }

  @Test
  void load_toolDisabledByPolicy_reportsPolicySetting() throws IOException {
    workflow("{id: read, kind: tool, tool: http, args: {url: \"https://example.com/\"}}");

    assertThatThrownBy(this::runtime)
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "1 problem in the agent configuration:\n"
                + "workflows/read.yml:4:34: node 'read': tool 'http' denied: disabled by policy (policy.tools.http.enabled is false in config.yml)");
  }

  /** Answers {@code <prefix><text>}. */
  static class Echo implements Tool {
    private final String name;
    private final String prefix;

    Echo(String name, String prefix) {
      this.name = name;
      this.prefix = prefix;
    }

    @Override
    public ToolDescriptor descriptor() {
      return new ToolDescriptor(
          name, "Echoes its text.", ToolSchemas.of(TestSupport.Args.class), Set.of(), Effect.NONE);
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      return ToolResult.success(TextNode.valueOf(prefix + call.argument("text").asText()));
    }
  }

  /** Always fails. */
  static class Refuse extends Echo {
    Refuse(String name) {
      super(name, "");
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      return ToolResult.failure("no, not '" + call.argument("text").asText() + "'");
    }
  }

  /** Keeps every event. */
  static final class RecordingRunListener implements RunListener {
    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RunEvent event) {
      events.add(event);
    }

    <T extends RunEvent> List<T> of(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  @Test
  void run_builderRegisteredTool_toolNodeCallsIt() throws IOException {
    workflow("{id: read, kind: tool, tool: text.echo, args: {text: \"{{input.word}}\"}}");

    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .tool(new Echo("text.echo", "echo: "))
            .build()) {
      RunResult r = rt.run("read", Map.of("word", "hello"));

      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(TextNode.valueOf("echo: hello"));
    }
  }

  @Test
  void run_withTracing_executeToolSpanIsAChildOfTheStepSpan() throws IOException {
    workflow("{id: read, kind: tool, tool: text.echo, args: {text: \"{{input.word}}\"}}");
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans =
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    try (io.opentelemetry.sdk.OpenTelemetrySdk otel =
            io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                .setTracerProvider(
                    io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                        .addSpanProcessor(
                            io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        AgentRuntime rt =
            AgentRuntime.builder()
                .configDir(dir.resolve(".agent"))
                .openTelemetry(otel)
                .tool(new Echo("text.echo", "echo: "))
                .build()) {
      RunResult r = rt.run("read", Map.of("word", "hello"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      var finished = spans.getFinishedSpanItems();
      var tool =
          finished.stream()
              .filter(s -> s.getName().equals("execute_tool text.echo"))
              .findFirst()
              .orElseThrow();
      var step =
          finished.stream()
              .filter(s -> s.getName().equals("agentrt.node read"))
              .findFirst()
              .orElseThrow();
      assertThat(tool.getParentSpanId()).isEqualTo(step.getSpanId());
      assertThat(tool.getTraceId()).isEqualTo(step.getTraceId());
    }
  }

  @Test
  void run_builderToolNamedLikeDiscoveredTool_builderToolWins() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.read, args: {text: \"{{input.word}}\"}}");

    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .tool(new Echo("fs.read", "mine: "))
            .build()) {
      RunResult r = rt.run("read", Map.of("word", "notes.txt"));

      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(TextNode.valueOf("mine: notes.txt"));
    }
  }

  @Test
  void builderTool_sameNameTwice_throwsNamingBothClasses() {
    AgentRuntime.Builder b = AgentRuntime.builder().tool(new Echo("text.echo", ""));

    assertThatThrownBy(() -> b.tool(new Refuse("text.echo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "two tools registered as 'text.echo': dev.agentrt.tools.ToolNodeExecutorTest$Echo, "
                + "dev.agentrt.tools.ToolNodeExecutorTest$Refuse (rename one, or register only one)");
  }

  @Test
  void run_toolNodeCallsTool_publishesToolCalledWithoutArguments() throws IOException {
    workflow("{id: read, kind: tool, tool: text.echo, args: {text: \"{{input.word}}\"}}");
    RecordingRunListener events = new RecordingRunListener();

    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .tool(new Echo("text.echo", ""))
            .listener(events)
            .build()) {
      RunResult r = rt.run("read", Map.of("word", "s3cr3t"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      List<RunEvent.ToolCalled> calls = events.of(RunEvent.ToolCalled.class);
      assertThat(calls)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.runId()).isEqualTo(r.runId());
                assertThat(e.stepKey()).isEqualTo("read#0");
                assertThat(e.tool()).isEqualTo("text.echo");
                assertThat(e.index()).isZero();
                assertThat(e.ok()).isTrue();
                assertThat(e.failure()).isNull();
                assertThat(e.duration()).isPositive();
                assertThat(e.toString()).doesNotContain("s3cr3t");
              });
      assertThat(events.events)
          .extracting(e -> e.getClass().getSimpleName())
          .containsSubsequence("StepStarted", "ToolCalled", "StepCompleted");
    }
  }

  @Test
  void run_toolFailsOnEveryAttempt_publishesOneFailedToolCalledPerAttempt() throws IOException {
    workflow(
        "{id: read, kind: tool, tool: text.no, args: {text: x}, retry: {max_attempts: 2, backoff: 1ms}}");
    RecordingRunListener events = new RecordingRunListener();
    RunListener typed =
        new RunListener() {
          @Override
          public void toolCalled(RunEvent.ToolCalled event) {
            events.events.add(event);
          }
        };

    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .tool(new Refuse("text.no"))
            .listener(typed)
            .build()) {
      RunResult r = rt.run("read", Map.of());

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(events.events).allMatch(e -> e instanceof RunEvent.ToolCalled);
      assertThat(events.of(RunEvent.ToolCalled.class))
          .extracting(
              RunEvent.ToolCalled::index, RunEvent.ToolCalled::failure, RunEvent.ToolCalled::ok)
          .containsExactly(
              tuple(0, ToolFailureKind.ERROR, false), tuple(1, ToolFailureKind.ERROR, false));
    }
  }
}
