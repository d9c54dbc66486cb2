package dev.agentrt.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.inspector.AgentInspector.Mode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Server-sent events: fed by a listener added to the running runtime, per run or for all. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InspectorEventsTest {
  @TempDir Path dir;
  AgentRuntime rt;
  AgentInspector inspector;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(
        dir.resolve("workflows/hello.yml"),
        """
        id: hello
        nodes:
          - {id: start, role: start}
          - {id: greet, kind: transform, template: {greeting: "Hello, {{input.name}}!"}}
          - {id: done, role: exit, output: "{{greet}}"}
        edges:
          - {from: start, to: greet}
          - {from: greet, to: done}
        """);
    Files.writeString(
        dir.resolve("workflows/gate.yml"),
        """
        id: gate
        nodes:
          - {id: start, role: start}
          - {id: ask, kind: transform, template: {q: secret-question}, interrupt: after}
          - {id: done, role: exit, output: "{{ask}}"}
        edges:
          - {from: start, to: ask}
          - {from: ask, to: done}
        """);
    rt = AgentRuntime.builder().configDir(dir).build();
    inspector = AgentInspector.builder(rt).port(0).mode(Mode.DEBUG).start();
  }

  @AfterEach
  void stop() {
    inspector.close();
    rt.close();
  }

  /** Opens a stream and returns its lines once the server has registered it. */
  Iterator<String> subscribe(String path) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(inspector.uri().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    Iterator<String> lines = r.body().iterator();
    while (!lines.next().equals(": connected")) {
      // the retry: line comes first
    }
    return lines;
  }

  /** The frames up to and including the first {@code until} event, as "type data". */
  static List<String> frames(Iterator<String> lines, String until) {
    List<String> frames = new ArrayList<>();
    String type = null;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("event: ")) type = line.substring("event: ".length());
      else if (line.startsWith("data: ")) {
        frames.add(type + " " + line.substring("data: ".length()));
        if (until.equals(type)) return frames;
      }
    }
    throw new AssertionError("the stream ended before " + until + ": " + frames);
  }

  @Test
  void allEvents_aRunsEventsInOrder_withoutContent() throws Exception {
    Iterator<String> lines = subscribe("/api/events");

    RunResult r = rt.run("hello", Map.of("name", "Ada Lovelace"));

    List<String> frames = frames(lines, "RunCompleted");
    assertThat(frames.stream().map(f -> f.substring(0, f.indexOf(' '))))
        .containsExactly(
            "RunStarted",
            "StepStarted",
            "StepCompleted",
            "RouteTaken",
            "StepStarted",
            "StepCompleted",
            "RouteTaken",
            "StepStarted",
            "StepCompleted",
            "RunCompleted");
    assertThat(frames).allSatisfy(f -> assertThat(f).contains("\"runId\":\"" + r.runId() + "\""));
    assertThat(frames.get(2))
        .contains("\"type\":\"StepCompleted\"", "\"stepKey\":\"start#0\"", "\"durationMs\":");
    assertThat(String.join("\n", frames)).doesNotContain("Ada Lovelace", "\"output\"");
  }

  @Test
  void runEvents_onlyThatRunsEvents() throws Exception {
    RunResult waiting = rt.run("gate", Map.of());
    assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
    Iterator<String> lines = subscribe("/api/runs/" + waiting.runId() + "/events");

    RunResult other = rt.run("hello", Map.of("name", "Bob"));
    RunResult resumed = rt.resume(waiting.runId(), Map.of());

    assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
    List<String> frames = frames(lines, "RunCompleted");
    assertThat(frames.get(0)).startsWith("RunStarted ").contains("\"resumed\":true");
    assertThat(frames)
        .allSatisfy(f -> assertThat(f).contains("\"runId\":\"" + waiting.runId() + "\""))
        .noneSatisfy(f -> assertThat(f).contains(other.runId()));
  }

  @Test
  void close_endsTheOpenStreams() throws Exception {
    Iterator<String> lines = subscribe("/api/events");

    inspector.close();

    List<String> rest = new ArrayList<>();
    lines.forEachRemaining(rest::add);
    assertThat(rest).doesNotContain("event: RunStarted");
  }

  @Test
  void runEvents_unknownRun_404() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(inspector.uri().resolve("/api/runs/nope/events")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":\"no run 'nope' in the store\"}");
  }
}
