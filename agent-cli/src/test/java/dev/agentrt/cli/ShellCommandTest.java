package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt shell} in process, driven by piped lines (a dumb terminal): profiles, the slash
 * commands, and the session file across two sessions.
 */
class ShellCommandTest {
  @TempDir Path tmp;
  Path config;
  Path sessionFile;
  String out;
  String err;

  @BeforeEach
  void setUp() throws IOException {
    config = tmp.resolve("agent");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '" + tmp.resolve("runs.db") + "'}\n");
    Files.writeString(
        config.resolve("workflows/echo.yml"),
        """
        id: echo
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit, output: "{{input}}"}
        edges:
          - {from: start, to: done}
        """);
    Files.writeString(
        config.resolve("workflows/approve.yml"),
        """
        id: approve
        nodes:
          - {id: start, role: start}
          - {id: ok, kind: transform, template: "{{$resume.ok.ok}}", interrupt: before}
          - {id: done, role: exit, output: {asked: "{{input.question}}", answer: "{{ok}}"}}
        edges:
          - {from: start, to: ok}
          - {from: ok, to: done}
        """);
    Files.writeString(
        config.resolve(ShellProfiles.FILE),
        """
        default: say
        profiles:
          say: {workflow: echo, input: {text: "{{line}}", tone: plain, note: "said: {{line}}"}}
          ask:
            workflow: approve
            input: {question: "{{line}}"}
        """);
    sessionFile = tmp.resolve("state/session.json");
  }

  int shell(String... lines) {
    return shellWith(List.of(), lines);
  }

  int shellWith(List<String> options, String... lines) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    String typed = String.join("\n", lines) + "\n";
    int code =
        Shell.run(
            new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
            o,
            e,
            sessionArgs(options));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  String[] sessionArgs(List<String> options) {
    List<String> args =
        new ArrayList<>(
            List.of("--config", config.toString(), "--session", sessionFile.toString()));
    args.addAll(options);
    return args.toArray(String[]::new);
  }

  @Test
  void profileOption_choosesTheActiveProfile_anUnknownOneIsAMessage() throws IOException {
    assertThat(shellWith(List.of("--profile", "ask"), "/profile")).isZero();
    assertThat(out).contains("profile 'ask'").contains("* ask  -> approve");

    assertThat(shellWith(List.of("--profile", "nobody"), "hi")).as(out + err).isZero();
    assertThat(err).isEqualTo("agentrt: --profile: no profile 'nobody' (one of: ask, say)\n");
    // the session's profile stays active
    assertThat(history().get(0).get("workflow").asText()).isEqualTo("approve");
  }

  JsonNode history() throws IOException {
    return RunReport.MAPPER.readTree(sessionFile.toFile()).get("history");
  }

  @Test
  void plainLine_isMappedByTheDefaultProfile_toTheWorkflowInput() throws IOException {
    int code = shell("hello there");

    assertThat(code).as(out + err).isZero();
    assertThat(err).isEmpty();
    JsonNode h = history();
    assertThat(h).hasSize(1);
    assertThat(h.get(0).get("workflow").asText()).isEqualTo("echo");
    assertThat(h.get(0).get("status").asText()).isEqualTo("COMPLETED");
    // the run's output is its input: the profile's template with {{line}} replaced
    assertThat(out)
        .contains("echo: COMPLETED")
        .contains("[run " + h.get(0).get("runId").asText() + "]")
        .contains("\"text\" : \"hello there\"")
        .contains("\"tone\" : \"plain\"")
        .contains("\"note\" : \"said: hello there\"");
  }

  @Test
  void slashCommands_runShowRunsRetryEditLastAttachHistory() throws IOException {
    Path notes = tmp.resolve("notes.txt");
    Files.writeString(notes, "line one\nline two\n");

    int code =
        shell(
            "/run echo {\"n\": 1}",
            "/attach " + notes,
            "first draft",
            "/retry",
            "/edit-last +with more",
            "/edit-last second",
            "/show",
            "/runs",
            "/history");

    assertThat(code).as(out + err).isZero();
    assertThat(err).isEmpty();
    JsonNode h = history();
    assertThat(h).hasSize(5);
    // /run with JSON: the object as is
    assertThat(h.get(0).get("input")).isEqualTo(RunReport.MAPPER.readTree("{\"n\": 1}"));
    assertThat(h.get(0).get("text").isNull()).isTrue();
    // the attachment reached the next input, with the file's content
    JsonNode first = h.get(1).get("input");
    assertThat(first.get("text").asText()).isEqualTo("first draft");
    assertThat(first.get("attachments"))
        .isEqualTo(
            RunReport.MAPPER
                .createArrayNode()
                .add(
                    RunReport.MAPPER
                        .createObjectNode()
                        .put("path", notes.toString())
                        .put("text", "line one\nline two\n")));
    // /retry: the same input, a new run
    assertThat(h.get(2).get("input")).isEqualTo(first);
    assertThat(h.get(2).get("runId").asText()).isNotEqualTo(h.get(1).get("runId").asText());
    // /edit-last +TEXT appends to the text, TEXT replaces it; both keep the attachments
    assertThat(h.get(3).get("input").get("text").asText()).isEqualTo("first draft with more");
    assertThat(h.get(3).get("input").get("note").asText()).isEqualTo("said: first draft with more");
    assertThat(h.get(4).get("input").get("text").asText()).isEqualTo("second");
    assertThat(h.get(4).get("input").get("attachments")).isEqualTo(first.get("attachments"));
    // the attachment was consumed by one input
    assertThat(RunReport.MAPPER.readTree(sessionFile.toFile()).get("attachments")).isEmpty();
    String last = h.get(4).get("runId").asText();
    // /show prints the last run as 'agentrt show' does
    assertThat(out).contains("Run " + last).contains("\"text\" : \"second\"");
    // /runs lists the store's runs as 'agentrt runs' does
    assertThat(out).contains("RUN").contains("WORKFLOW  STATUS");
    for (JsonNode e : h)
      assertThat(out).containsPattern(e.get("runId").asText() + " +echo +COMPLETED");
    // /history: each input and its run
    assertThat(out)
        .containsPattern(
            "(?m)^1 +" + h.get(0).get("runId").asText() + " +echo +COMPLETED +/run echo")
        .containsPattern("(?m)^3 +" + h.get(2).get("runId").asText() + " +echo +COMPLETED +/retry$")
        .containsPattern("(?m)^5 +" + last + " +echo +COMPLETED +/edit-last second$");
  }

  @Test
  void session_persistsAcrossShells_historyAndResume() throws IOException {
    int first = shell("/profile ask", "ship it?", "/run echo plain text");
    assertThat(first).as(out + err).isZero();
    JsonNode h = history();
    String waiting = h.get(0).get("runId").asText();
    assertThat(h.get(0).get("status").asText()).isEqualTo("WAITING");
    assertThat(out).contains("/resume " + waiting);
    // /run WORKFLOW TEXT uses a profile of that workflow ('say'), not the active one
    assertThat(h.get(1).get("input").get("text").asText()).isEqualTo("plain text");

    int second = shell("/history", "/profile", "/resume {\"ok\": \"yes\"}");

    assertThat(second).as(out + err).isZero();
    assertThat(err).isEmpty();
    assertThat(out)
        .containsPattern(waiting + " +approve +WAITING +ship it\\?")
        .contains("* ask  -> approve")
        .contains("approve: COMPLETED")
        .contains("\"asked\" : \"ship it?\"")
        .contains("\"answer\" : \"yes\"");
    assertThat(history().get(0).get("status").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void mistakes_printAMessage_andTheShellGoesOn() throws IOException {
    int code =
        shell(
            "/nope",
            "/run missing",
            "/run echo {bad",
            "/retry",
            "/show no-such-run",
            "/attach " + tmp.resolve("absent.txt"),
            "/profile nobody",
            "still here",
            "/quit",
            "never read");

    assertThat(code).isZero();
    assertThat(err)
        .contains("agentrt: unknown command '/nope'; /help lists the commands")
        .contains("agentrt: no workflow 'missing' (one of: approve, echo)")
        .contains("agentrt: invalid JSON at column 2")
        .contains("agentrt: /retry: no input yet in this session")
        .contains("no run 'no-such-run' in the checkpoint store")
        .contains("absent.txt does not exist")
        .contains("agentrt: no profile 'nobody' (one of: ask, say)");
    assertThat(history()).hasSize(1);
    assertThat(history().get(0).get("text").asText()).isEqualTo("still here");
  }

  @Test
  void helpAndGraph_printTheCommandsAndTheDiagram() {
    int code = shell("/help", "/graph approve");

    assertThat(code).as(out + err).isZero();
    assertThat(err).isEmpty();
    for (String[] c : ShellCommand.COMMANDS) assertThat(out).contains("  " + c[0]);
    assertThat(out)
        .contains("/edit-last TEXT|+TEXT")
        .contains("is the input of the active profile's workflow ('say')")
        .contains("graph TD")
        .contains("interrupt before");
  }

  @Test
  void badProfileFile_isReportedAtFileLineColumn() throws IOException {
    Files.writeString(
        config.resolve(ShellProfiles.FILE),
        """
        default: nobody
        profiles:
          say: {workflow: echoo, input: {text: "{{lines}}"}}
          ask: {workflow: approve, input: "x", extra: 1}
        """);

    int code = shell("hello");

    assertThat(code).isZero();
    String file = config.resolve(ShellProfiles.FILE).toString();
    assertThat(err)
        .contains(file + ":3:19: profile 'say': no workflow 'echoo' (one of: approve, echo)")
        .contains(
            file
                + ":3:40: unknown placeholder '{{lines}}' (only {{line}}, the line typed, is replaced)")
        .contains(file + ":4:35: input must be a mapping")
        .contains(file + ":4:40: unknown key 'extra' in profile 'ask'")
        .contains(file + ":1:10: default 'nobody' is not a profile (one of: say, ask)")
        .contains("agentrt: no active profile maps a line to a workflow's input");
  }

  @Test
  void completion_commandsThenWorkflowsRunsAndProfiles() {
    ShellCompleter c =
        new ShellCompleter(
            () -> List.of("approve", "echo"),
            () -> List.of("run-2", "run-1"),
            () -> List.of("say"));

    assertThat(complete(c, "/r"))
        .contains("/run", "/resume", "/retry", "/runs")
        .doesNotContain("/show");
    assertThat(complete(c, "/run e")).containsExactly("echo");
    assertThat(complete(c, "/graph ")).contains("approve", "echo");
    assertThat(complete(c, "/show run-")).contains("run-2", "run-1");
    assertThat(complete(c, "/profile ")).contains("say");
    assertThat(complete(c, "plain te")).isEmpty();
  }

  static List<String> complete(ShellCompleter c, String line) {
    List<Candidate> candidates = new ArrayList<>();
    c.complete(null, new DefaultParser().parse(line, line.length()), candidates);
    List<String> values = new ArrayList<>();
    for (Candidate k : candidates) {
      if (k.value().startsWith(new DefaultParser().parse(line, line.length()).word()))
        values.add(k.value());
    }
    return values;
  }
}
