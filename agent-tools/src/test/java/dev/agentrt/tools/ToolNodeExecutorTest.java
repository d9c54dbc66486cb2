package dev.agentrt.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kind: tool} nodes, run by a real runtime that discovers the executor through ServiceLoader. */
class ToolNodeExecutorTest {
  @TempDir Path dir;
  Path config;
  Path ws;

  @BeforeEach
  void setUp() throws IOException {
    config = Files.createDirectories(dir.resolve(".agent/workflows"));
    ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(ws.resolve("notes.txt"), "one\ntwo\nthree\n");
    Files.writeString(dir.resolve(".agent/config.yml"), "policy:\n  workspace: " + ws + "\n"
        + "  tools:\n    http: {enabled: false}\n");
  }

  void workflow(String toolNode) throws IOException {
    Files.writeString(config.resolve("read.yml"), "id: read\n"
        + "nodes:\n"
        + "  - {id: start, role: start}\n"
        + "  - " + toolNode + "\n"
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
    workflow("{id: read, kind: tool, tool: fs.read, args: {path: \"{{input.file}}\", start_line: 2, end_line: 2}}");

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
      assertThat(r.message()).contains("path '../etc/passwd' is refused: '..' is not allowed (give a path inside the workspace without '..')");
    }
  }

  @Test
  void run_argsPathMissingFromState_failsNamingPath() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.read, args: {path: \"{{input.file}}\"}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("read", Map.of("name", "notes.txt"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.message()).contains("node 'read': args: template path 'input.file' is not in state");
    }
  }

  @Test
  void load_unknownTool_reportsFileLineColumnAndSuggestion() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.reed, args: {path: notes.txt}}");

    assertThatThrownBy(this::runtime).isInstanceOf(ManifestException.class)
        .hasMessage("1 problem in the agent configuration:\n"
            + "workflows/read.yml:4:34: node 'read': unknown tool 'fs.reed' (did you mean 'fs.read'?)");
  }

  @Test
  void load_constantArgsNotMatchingSchema_reportsValidationMessage() throws IOException {
    workflow("{id: read, kind: tool, tool: fs.read, args: {file: notes.txt}}");

    assertThatThrownBy(this::runtime).isInstanceOf(ManifestException.class)
        .hasMessage("1 problem in the agent configuration:\n"
            + "workflows/read.yml:4:49: node 'read': tool 'fs.read': invalid arguments: property 'file' is not defined in the "
            + "schema and the schema does not allow additional properties; required property 'path' not found");
  }

  @Test
  void load_toolDisabledByPolicy_reportsPolicySetting() throws IOException {
    workflow("{id: read, kind: tool, tool: http, args: {url: \"https://example.com/\"}}");

    assertThatThrownBy(this::runtime).isInstanceOf(ManifestException.class)
        .hasMessage("1 problem in the agent configuration:\n"
            + "workflows/read.yml:4:34: node 'read': tool 'http' denied: disabled by policy (policy.tools.http.enabled is false in config.yml)");
  }
}
