package dev.agentrt.tools;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hard link made inside the workspace to a file outside it is the file itself: the sandbox's path
 * checks cannot see it, so regular files with more than one name are refused unless {@code
 * allow_hard_links} says the workspace uses them.
 */
class HardLinkTest {
  static final boolean RG =
      dev.agentrt.tools.internal.Processes.onPath("rg", System.getenv("PATH")).isPresent();
  @TempDir Path dir;
  Path ws;
  Path secret;
  ToolBus bus;

  @BeforeEach
  void setUp() throws IOException {
    ws = Files.createDirectories(dir.resolve("ws")).toRealPath();
    secret = Files.createDirectories(dir.resolve("secret")).resolve("key.txt");
    Files.writeString(secret, "secret token\n");
    Files.createDirectories(ws.resolve("src"));
    Files.writeString(ws.resolve("src/notes.txt"), "a secret of the workspace\n");
    Files.createLink(ws.resolve("src/key.txt"), secret);
  }

  @AfterEach
  void close() {
    if (bus != null) bus.close();
  }

  ToolBus bus(String tool, String settings) {
    bus =
        ToolBus.builder()
            .discovery(false)
            .tools(BuiltinTools.all())
            .policy(
                ToolPolicy.builder()
                    .workspace(ws)
                    .toolSettings(tool, TestSupport.json(settings))
                    .build())
            .build();
    return bus;
  }

  static String refused(String path, String tool) {
    return "path '"
        + path
        + "' is refused: it is a hard link (the file has 2 names and the others may be outside the "
        + "workspace; set policy.tools."
        + tool
        + ".allow_hard_links: true in config.yml if the workspace uses hard links)";
  }

  @Test
  void read_hardLinkToFileOutside_isRefused() {
    assertThat(
            failure(
                bus("fs.read", "{}")
                    .call(ToolInvocation.of("fs.read", args("path", "src/key.txt")))))
        .isEqualTo(refused("src/key.txt", "fs.read"));
  }

  @Test
  void read_hardLinkAllowedByPolicy_isRead() {
    JsonNode v =
        value(
            bus("fs.read", "{'allow_hard_links': true}")
                .call(ToolInvocation.of("fs.read", args("path", "src/key.txt"))));

    assertThat(v.get("content").asText()).isEqualTo("secret token\n");
  }

  @Test
  void writeAppend_hardLinkToFileOutside_isRefusedAndNothingCopied() throws IOException {
    String msg =
        failure(
            bus("fs.write", "{}")
                .call(
                    ToolInvocation.of(
                        "fs.write",
                        args("path", "src/key.txt", "content", "more\n", "mode", "append"))));

    assertThat(msg).isEqualTo(refused("src/key.txt", "fs.write"));
    assertThat(Files.readString(secret)).isEqualTo("secret token\n");
    assertThat(Files.isSameFile(secret, ws.resolve("src/key.txt"))).isTrue();
  }

  @ParameterizedTest(name = "engine {0}")
  @ValueSource(strings = {"java", "ripgrep"})
  void grep_directoryWithHardLink_skipsItWithNote(String engine) {
    assumeTrue(engine.equals("java") || RG, "rg is not on PATH");

    JsonNode v =
        value(
            bus("grep", "{'engine': '" + engine + "'}")
                .call(ToolInvocation.of("grep", args("pattern", "secret"))));

    ObjectNode expected =
        (ObjectNode)
            TestSupport.json(
                "{'matches': [{'path': 'src/notes.txt', 'line': 1, "
                    + "'text': 'a secret of the workspace'}], 'truncated': false, 'engine': '"
                    + engine
                    + "', 'notes': ["
                    + "'skipped 1 hard-linked file (src/key.txt): their other names may be outside the workspace "
                    + "(set policy.tools.grep.allow_hard_links: true in config.yml if the workspace uses hard links)']}");
    assertThat(v).isEqualTo(expected);
  }

  @Test
  void grep_hardLinkAllowedByPolicy_isSearched() {
    JsonNode v =
        value(
            bus("grep", "{'engine': 'java', 'allow_hard_links': true}")
                .call(ToolInvocation.of("grep", args("pattern", "token"))));

    assertThat(v.get("matches"))
        .isEqualTo(
            TestSupport.json("[{'path': 'src/key.txt', 'line': 1, 'text': 'secret token'}]"));
    assertThat(v.has("notes")).isFalse();
  }
}
