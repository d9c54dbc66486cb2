package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GrepToolTest {
  static Path ws;
  static ToolBus java;
  static ToolBus ripgrep;
  static final Optional<Path> RG = Processes.onPath("rg", System.getenv("PATH"));

  @BeforeAll
  static void setUp() throws IOException {
    ws = Files.createTempDirectory("agentrt-grep").toRealPath();
    write("src/main/App.java", "class App {\n  // TODO: start\n  void run() {}\n}\n");
    write("src/main/util/Strings.java", "class Strings {\n  static String todo = \"todo\";\n}\n");
    write("src/test/AppTest.java", "class AppTest {\n  // TODO test run()\n}\n");
    write("README.md", "# Demo\nRun with: app.run()\nTODO write docs");
    write("windows.txt", "first TODO\r\nsecond\r\nthird todo\r\n");
    write(".hidden/notes.txt", "TODO hidden note\n");
    write(".git/config", "TODO this is git's\n");
    write("unicode.txt", "Grüße TODO\nÄrger todo\n");
    write("a[1].txt", "literal a.b(c) and TODO\nab(c)\n");
    Files.write(ws.resolve("image.bin"), new byte[] {'T', 'O', 'D', 'O', 0, 1, 2, '\n'});
    Files.createSymbolicLink(ws.resolve("link.txt"), ws.resolve("README.md"));
    java = bus(Optional.empty());
    ripgrep = RG.isPresent() ? bus(RG) : null;
  }

  static ToolBus bus(Optional<Path> rg) {
    return ToolBus.builder()
        .discovery(false)
        .tool(new GrepTool(rg))
        .policy(ToolPolicy.builder().workspace(ws).build())
        .build();
  }

  static void write(String rel, String text) throws IOException {
    Path p = ws.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void tearDown() throws IOException {
    java.close();
    if (ripgrep != null) ripgrep.close();
    TestSupport.deleteTree(ws);
  }

  static Stream<Arguments> searches() {
    return Stream.of(
        Arguments.of("plain word", args("pattern", "TODO")),
        Arguments.of("ignore case", args("pattern", "todo", "ignore_case", true)),
        Arguments.of("regex", args("pattern", "run\\(\\)")),
        Arguments.of(
            "fixed string with regex characters", args("pattern", "a.b(c)", "fixed_strings", true)),
        Arguments.of("glob on the file name", args("pattern", "TODO", "glob", "*.java")),
        Arguments.of(
            "glob with a directory",
            args("pattern", "class", "glob", "src/main/**/*.java", "path", "src")),
        Arguments.of(
            "sub-directory", args("pattern", "todo", "path", "src/main", "ignore_case", true)),
        Arguments.of("single file", args("pattern", "o", "path", "windows.txt")),
        Arguments.of("unicode", args("pattern", "ärger", "ignore_case", true)),
        Arguments.of("no match", args("pattern", "zzz-nothing")),
        Arguments.of("truncated", args("pattern", "TODO", "ignore_case", true, "max_matches", 3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("searches")
  void grep_withAndWithoutRipgrep_returnsEqualMatches(String name, ObjectNode arguments) {
    assumeTrue(RG.isPresent(), "rg is not on PATH");

    JsonNode withJava = value(java.call(ToolInvocation.of("grep", arguments)));
    JsonNode withRg = value(ripgrep.call(ToolInvocation.of("grep", arguments)));

    assertThat(withJava.get("engine").asText()).isEqualTo("java");
    assertThat(withRg.get("engine").asText()).isEqualTo("ripgrep");
    assertThat(withRg.get("matches")).isEqualTo(withJava.get("matches"));
    assertThat(withRg.get("truncated")).isEqualTo(withJava.get("truncated"));
  }

  @Test
  void grep_javaFallback_returnsSortedMatchesSkippingGitBinaryAndLinks() {
    JsonNode v = value(java.call(ToolInvocation.of("grep", args("pattern", "TODO"))));

    assertThat(v)
        .isEqualTo(
            TestSupport.json(
                "{'matches': ["
                    + "{'path': '.hidden/notes.txt', 'line': 1, 'text': 'TODO hidden note'},"
                    + "{'path': 'README.md', 'line': 3, 'text': 'TODO write docs'},"
                    + "{'path': 'a[1].txt', 'line': 1, 'text': 'literal a.b(c) and TODO'},"
                    + "{'path': 'src/main/App.java', 'line': 2, 'text': '  // TODO: start'},"
                    + "{'path': 'src/test/AppTest.java', 'line': 2, 'text': '  // TODO test run()'},"
                    + "{'path': 'unicode.txt', 'line': 1, 'text': 'Grüße TODO'},"
                    + "{'path': 'windows.txt', 'line': 1, 'text': 'first TODO'}"
                    + "], 'truncated': false, 'engine': 'java'}"));
  }

  @Test
  void grep_globWithDirectories_matchesPathsRelativeToWorkspaceLikeGitignore() {
    JsonNode v =
        value(
            java.call(
                ToolInvocation.of(
                    "grep",
                    args("pattern", "class", "glob", "src/main/**/*.java", "path", "src"))));

    assertThat(v.get("matches"))
        .isEqualTo(
            TestSupport.json(
                "["
                    + "{'path': 'src/main/App.java', 'line': 1, 'text': 'class App {'},"
                    + "{'path': 'src/main/util/Strings.java', 'line': 1, 'text': 'class Strings {'}]"));
  }

  @Test
  void grep_invalidRegex_failsNamingTheProblem() {
    assertThat(failure(java.call(ToolInvocation.of("grep", args("pattern", "run(")))))
        .isEqualTo(
            "pattern 'run(' is not a valid regular expression: missing closing ) "
                + "(the syntax is RE2's, close to ripgrep's; use fixed_strings: true for literal text)");
  }

  @Test
  void grep_missingPath_fails() {
    assertThat(failure(java.call(ToolInvocation.of("grep", args("pattern", "x", "path", "nope")))))
        .isEqualTo("path 'nope': no such file or directory");
  }
}
