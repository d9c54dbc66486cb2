package dev.agentrt.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy:} in config.yml is checked when the configuration loads, with file:line:col, for
 * workflows with tool nodes: not when a step runs, and never as an exception.
 */
class ToolPolicyConfigTest {
  @TempDir Path dir;
  Path ws;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    ws = Files.createDirectories(dir.resolve("ws"));
    Files.writeString(
        dir.resolve(".agent/workflows/read.yml"),
        "id: read\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: read, kind: tool, tool: json.query, args: {json: {a: 1}, pointer: /a}}\n"
            + "  - {id: again, kind: tool, tool: json.query, args: {json: {a: 2}, pointer: /a}}\n"
            + "  - {id: done, role: exit}\n"
            + "edges:\n"
            + "  - {from: start, to: read}\n"
            + "  - {from: read, to: again}\n"
            + "  - {from: again, to: done}\n");
  }

  /** Writes config.yml and returns the problems of loading it, as file:line:col: message. */
  List<String> problems(String config) throws IOException {
    Files.writeString(dir.resolve(".agent/config.yml"), config);
    List<String> out = new java.util.ArrayList<>();
    assertThatThrownBy(() -> AgentRuntime.builder().configDir(dir.resolve(".agent")).build())
        .isInstanceOfSatisfying(
            ManifestException.class,
            e ->
                out.addAll(
                    e.problems().stream()
                        .map(ManifestProblem::toString)
                        .collect(Collectors.toList())));
    return out;
  }

  @Test
  void load_mcpServersWithoutAgentMcp_reportsTheKeySayingWhichDependencyToAdd() throws IOException {
    List<String> problems = problems("mcp_servers:\n  notes: {command: [notes-mcp]}\n");

    assertThat(problems)
        .containsExactly(
            "config.yml:2:3: mcp_servers: no MCP client on the class path, so these servers'"
                + " tools would be missing (add dependency dev.agentrt:agent-mcp, or remove"
                + " mcp_servers:)");
  }

  @Test
  void load_missingWorkspace_reportsTheKeyOnceAtItsLine() throws IOException {
    List<String> problems = problems("policy:\n  workspace: " + ws.resolve("nope") + "\n");

    assertThat(problems)
        .containsExactly(
            "config.yml:2:14: policy.workspace: directory '"
                + ws.resolve("nope")
                + "' does not exist (create it, or point policy.workspace at a directory)");
  }

  @Test
  void load_malformedToolTimeout_reportsTheKeyWithTheSyntax() throws IOException {
    List<String> problems =
        problems("policy:\n  workspace: " + ws + "\n  tools:\n    fs.read: {timeout: soon}\n");

    assertThat(problems)
        .containsExactly(
            "config.yml:4:24: policy.tools.fs.read.timeout: 'soon' is not a duration"
                + " (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)");
  }

  @Test
  void load_malformedHttpReadTimeout_reportsAtLoadNotWhenTheStepRuns() throws IOException {
    List<String> problems =
        problems(
            "policy:\n  workspace: "
                + ws
                + "\n  tools:\n    http:\n      read_timeout: 5 s\n"
                + "      max_redirects: -1\n");

    assertThat(problems)
        .containsExactly(
            "config.yml:5:21: policy.tools.http.read_timeout: '5 s' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or"
                + " ISO-8601 like PT30S)",
            "config.yml:6:22: policy.tools.http.max_redirects: '-1' is not a whole number (0 or more)");
  }

  @Test
  void load_hardLinkFlagNotABoolean_reportsTheKey() throws IOException {
    List<String> problems =
        problems(
            "policy:\n  workspace: " + ws + "\n  tools:\n    fs.read: {allow_hard_links: yes}\n");

    assertThat(problems)
        .containsExactly(
            "config.yml:4:33: policy.tools.fs.read.allow_hard_links: 'yes' is not true or false");
  }

  @Test
  void load_shortDurations_areAcceptedEverywhereInThePolicy() throws IOException {
    Files.writeString(
        dir.resolve(".agent/config.yml"),
        "policy:\n  workspace: "
            + ws
            + "\n  tools:\n"
            + "    json.query: {timeout: 5s}\n    http: {read_timeout: 500ms, connect_timeout: 2m}\n"
            + "    tests.run: {timeout: 1h}\n");

    try (AgentRuntime rt = AgentRuntime.builder().configDir(dir.resolve(".agent")).build()) {
      assertThat(rt.run("read", java.util.Map.of()).status())
          .isEqualTo(dev.agentrt.core.RunStatus.COMPLETED);
    }
  }
}
