package dev.agentrt.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.testsupport.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP tools end to end: a runtime built from a {@code .agent/} whose {@code mcp_servers:} starts
 * {@link NotesMcpServer} (written with the official SDK) as a child JVM; workflows call its tools
 * through {@code kind: tool} nodes, so every call goes through the ToolBus (schema validation,
 * effect journal, recording). One server serves the calls; the close test starts its own.
 */
class McpToolsIT {
  @TempDir static Path dir;
  static Path notes;
  static CheckpointStore store;
  static AgentRuntime runtime;

  @BeforeAll
  static void start() throws IOException {
    notes = dir.resolve("notes.txt");
    Files.writeString(notes, "first note\n");
    store = CheckpointStore.inMemory(100);
    runtime = runtime(dir.resolve("shared"), dir.resolve("shared.pid"), store);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) runtime.close();
  }

  /** A configuration with server {@code notes} and one workflow per tool: add, read, fail. */
  static AgentRuntime runtime(Path root, Path pidFile, CheckpointStore store) throws IOException {
    Path agent = Files.createDirectories(root.resolve(".agent/workflows"));
    String command =
        new ObjectMapper()
            .writeValueAsString(ChildJvm.command(NotesMcpServer.class, pidFile.toString()));
    Files.writeString(
        root.resolve(".agent/config.yml"),
        "mcp_servers:\n"
            + "  notes:\n"
            + "    command: "
            + command
            + "\n"
            + "    env: {NOTES_FILE: \"${env:TEST_NOTES_FILE}\"}\n"
            + "    timeout: 20s\n");
    workflow(agent, "add", "notes.add_note", "{text: \"{{input.text}}\"}");
    workflow(agent, "read", "notes.read_note", "{line: \"{{input.line}}\"}");
    workflow(agent, "fail", "notes.fail_note", "{}");
    return AgentRuntime.builder()
        .configDir(root.resolve(".agent"))
        .environment(Map.of("TEST_NOTES_FILE", notes.toString())::get)
        .checkpointStore(store)
        .build();
  }

  static void workflow(Path dir, String id, String tool, String args) throws IOException {
    Files.writeString(
        dir.resolve(id + ".yml"),
        "id: "
            + id
            + "\nnodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: call, kind: tool, tool: "
            + tool
            + ", args: "
            + args
            + "}\n"
            + "  - {id: done, role: exit, output: \"{{call}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: call}\n"
            + "  - {from: call, to: done}\n");
  }

  @Test
  void run_readOnlyTool_returnsServerTextAndRecordsNoIntent() {
    RunResult r = runtime.run("read", Map.of("line", 1));

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output()).isEqualTo(TextNode.valueOf("first note"));
    assertThat(kinds(r.runId())).containsExactly(CallKind.TOOL);
  }

  @Test
  void run_effectfulTool_changesTheWorldAndRecordsNonIdempotentIntentFirst() throws IOException {
    RunResult r = runtime.run("add", Map.of("text", "second note"));

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().get("lines")).isEqualTo(IntNode.valueOf(2));
    assertThat(Files.readAllLines(notes)).endsWith("second note");
    List<CallRecord> calls = store.calls(r.runId());
    assertThat(calls).extracting(CallRecord::kind).containsExactly(CallKind.INTENT, CallKind.TOOL);
    assertThat(calls.get(0).response().get("effect").asText()).isEqualTo("non_idempotent");
  }

  @Test
  void run_argumentsBreakTheServersSchema_refusedBeforeTheServerIsCalled() throws IOException {
    List<String> before = Files.readAllLines(notes);

    RunResult r = runtime.run("add", Map.of("text", ""));

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
    assertThat(r.message()).contains("notes.add_note").contains("/text");
    assertThat(Files.readAllLines(notes)).isEqualTo(before);
    assertThat(kinds(r.runId())).doesNotContain(CallKind.INTENT);
  }

  @Test
  void run_serverAnswersIsError_failsTheStepWithTheServersText() {
    RunResult r = runtime.run("fail", Map.of());

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message()).contains("tool 'notes.fail_note' failed: the notes are locked");
  }

  @Test
  void close_endsTheServerProcess() throws Exception {
    Path pidFile = dir.resolve("own.pid");
    AgentRuntime rt = runtime(dir.resolve("own"), pidFile, CheckpointStore.inMemory(100));
    ProcessHandle server;
    try {
      assertThat(rt.run("read", Map.of("line", 1)).status()).isEqualTo(RunStatus.COMPLETED);
      server = ProcessHandle.of(Long.parseLong(Files.readString(pidFile))).orElseThrow();
      assertThat(server.isAlive()).isTrue();
    } finally {
      rt.close();
    }

    assertThat(server.isAlive()).isFalse();
  }

  @Test
  void build_serverProgramMissing_errorNamesServerCommandAndProgram() throws IOException {
    Path root = brokenConfig("missing", "{command: [/nonexistent/mcp-ghost, --stdio]}");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(root).build().close())
        .isExactlyInstanceOf(AgentrtException.class)
        .hasMessage(
            "config.yml: mcp_servers.ghost: the MCP server command [/nonexistent/mcp-ghost,"
                + " --stdio] did not start or list its tools: program '/nonexistent/mcp-ghost' is"
                + " not an executable file (check that the command runs and speaks MCP on"
                + " stdin/stdout, or raise mcp_servers.ghost.timeout)");
  }

  @Test
  void build_serverDoesNotAnswer_errorSaysSoAndTheProcessIsEnded() throws IOException {
    Path root = brokenConfig("silent", "{command: [sleep, \"30\"], timeout: 1s}");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(root).build().close())
        .isExactlyInstanceOf(AgentrtException.class)
        .hasMessage(
            "config.yml: mcp_servers.ghost: the MCP server command [sleep, 30] did not start or"
                + " list its tools: it did not answer within 1s (check that the command runs and"
                + " speaks MCP on stdin/stdout, or raise mcp_servers.ghost.timeout)");
    assertThat(ProcessHandle.current().children())
        .filteredOn(p -> p.info().command().orElse("").endsWith("/sleep"))
        .noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void build_urlServerNotListening_errorNamesServerAndUrl() throws IOException {
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/mcp";
    Path root =
        brokenConfig(
            "http",
            "{url: \""
                + url
                + "\", headers: {Authorization: \"Bearer t0ken-value\"}, timeout: 2s}");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(root).build().close())
        .isExactlyInstanceOf(AgentrtException.class)
        .hasMessageStartingWith(
            "config.yml: mcp_servers.ghost: the MCP server at "
                + url
                + " did not start or list its tools: ")
        .hasMessageEndingWith(
            " (check that the server is up at that URL and its headers:, or raise"
                + " mcp_servers.ghost.timeout)")
        .message()
        .doesNotContain("t0ken-value");
  }

  /** A configuration whose server {@code ghost} is {@code server}, used by one workflow. */
  private static Path brokenConfig(String name, String server) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name + "/.agent/workflows")).getParent();
    Files.writeString(root.resolve("config.yml"), "mcp_servers:\n  ghost: " + server + "\n");
    workflow(root.resolve("workflows"), "w", "ghost.anything", "{}");
    return root;
  }

  private static List<CallKind> kinds(String runId) {
    return store.calls(runId).stream().map(CallRecord::kind).toList();
  }
}
