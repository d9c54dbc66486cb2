package dev.agentrt.tools;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile path arguments for the file tools, each refused with its whole message asserted. The
 * workspace has links leading out, a link inside, a dangling link and a named pipe; a sibling
 * directory {@code secret/} holds what must never be read or written.
 */
class HostilePathTest {
  static Path base;
  static Path ws;
  static Path secret;
  static ToolBus bus;

  @BeforeAll
  static void setUp() throws Exception {
    base = Files.createTempDirectory("agentrt-hostile").toRealPath();
    ws = Files.createDirectories(base.resolve("ws"));
    secret = Files.createDirectories(base.resolve("secret"));
    Files.writeString(secret.resolve("s.txt"), "top secret\n");
    Files.writeString(ws.resolve("a.txt"), "hello\n");
    Files.createDirectories(ws.resolve("dir"));
    Files.writeString(ws.resolve("dir/b.txt"), "b\n");
    Files.createLink(ws.resolve("hard.txt"), secret.resolve("s.txt"));
    Files.createSymbolicLink(ws.resolve("out"), Path.of("/etc"));
    Files.createSymbolicLink(ws.resolve("outfile"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(ws.resolve("rel-out"), Path.of("../secret"));
    Files.createSymbolicLink(ws.resolve("dangling-out"), Path.of("/nonexistent-agentrt/x"));
    Files.createSymbolicLink(ws.resolve("devnull"), Path.of("/dev/null"));
    Files.createSymbolicLink(ws.resolve("inlink-file"), Path.of("a.txt"));
    Files.createSymbolicLink(ws.resolve("dangling-in"), Path.of("not-yet.txt"));
    Files.createDirectories(ws.resolve("nested"));
    Files.createSymbolicLink(ws.resolve("nested/chain"), Path.of("../rel-out"));
    Process p = new ProcessBuilder("mkfifo", ws.resolve("fifo").toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    bus =
        ToolBus.builder()
            .discovery(false)
            .tools(BuiltinTools.all())
            .policy(ToolPolicy.builder().workspace(ws).build())
            .build();
  }

  @AfterAll
  static void tearDown() throws IOException {
    bus.close();
    TestSupport.deleteTree(base);
  }

  static String refused(String shown, String why) {
    return "path '" + shown + "' is refused: " + why;
  }

  static final String DOTDOT =
      "'..' is not allowed (give a path inside the workspace without '..')";
  static final String OUTSIDE =
      "it is outside the workspace (give a path relative to the workspace)";
  static final String NOT_REGULAR =
      "it is not a regular file or directory (devices, pipes and sockets are refused)";

  static String hardLink(String tool) {
    return "it is a hard link (the file has 2 names and the others may be outside the workspace; set policy.tools."
        + tool
        + ".allow_hard_links: true in config.yml if the workspace uses hard links)";
  }

  static String viaLink(String link) {
    return "it leads outside the workspace through the symbolic link '" + link + "'";
  }

  static String normalised(String nfkc) {
    return "it changes under Unicode normalisation (NFKC form: '"
        + nfkc
        + "'; write the path in normalised form)";
  }

  static Arguments c(String name, String tool, String path, String message) {
    return Arguments.of(name, tool, path, message);
  }

  static Stream<Arguments> cases() {
    String longPath = "a/".repeat(2500);
    List<Arguments> l = new ArrayList<>();
    // fs.read
    l.add(
        c(
            "read: parent directory",
            "fs.read",
            "../secret/s.txt",
            refused("../secret/s.txt", DOTDOT)));
    l.add(
        c(
            "read: parent after a directory",
            "fs.read",
            "dir/../../secret/s.txt",
            refused("dir/../../secret/s.txt", DOTDOT)));
    l.add(c("read: bare ..", "fs.read", "..", refused("..", DOTDOT)));
    l.add(
        c(
            "read: .. that stays inside",
            "fs.read",
            "dir/../a.txt",
            refused("dir/../a.txt", DOTDOT)));
    l.add(c("read: trailing ..", "fs.read", "dir/..", refused("dir/..", DOTDOT)));
    l.add(
        c("read: absolute /etc/passwd", "fs.read", "/etc/passwd", refused("/etc/passwd", OUTSIDE)));
    l.add(
        c(
            "read: double-slash absolute",
            "fs.read",
            "//etc/passwd",
            refused("//etc/passwd", OUTSIDE)));
    l.add(
        c(
            "read: absolute sibling of the workspace",
            "fs.read",
            secret.resolve("s.txt").toString(),
            refused(secret.resolve("s.txt").toString(), OUTSIDE)));
    l.add(
        c(
            "read: absolute prefix look-alike",
            "fs.read",
            ws + "-evil/x",
            refused(ws + "-evil/x", OUTSIDE)));
    l.add(c("read: /dev/zero", "fs.read", "/dev/zero", refused("/dev/zero", OUTSIDE)));
    l.add(
        c(
            "read: /proc/self/environ",
            "fs.read",
            "/proc/self/environ",
            refused("/proc/self/environ", OUTSIDE)));
    l.add(
        c(
            "read: NUL before an extension",
            "fs.read",
            "a.txt\u0000.png",
            refused("a.txt\\u0000.png", "it contains a NUL byte")));
    l.add(c("read: only NUL", "fs.read", "\u0000", refused("\\u0000", "it contains a NUL byte")));
    l.add(
        c(
            "read: newline",
            "fs.read",
            "dir/b.txt\n",
            refused("dir/b.txt\\u000A", "it contains the control character U+000A")));
    l.add(
        c(
            "read: tab",
            "fs.read",
            "a\tb",
            refused("a\\u0009b", "it contains the control character U+0009")));
    l.add(
        c(
            "read: terminal escape",
            "fs.read",
            "\u001b[31ma.txt",
            refused("\\u001B[31ma.txt", "it contains the control character U+001B")));
    l.add(
        c(
            "read: C1 next-line",
            "fs.read",
            "a\u0085.txt",
            refused("a\\u0085.txt", "it contains the control character U+0085")));
    l.add(
        c(
            "read: DEL",
            "fs.read",
            "a\u007f",
            refused("a\\u007F", "it contains the control character U+007F")));
    l.add(
        c(
            "read: backslash parent",
            "fs.read",
            "..\\secret\\s.txt",
            refused("..\\secret\\s.txt", "it contains a backslash (separate directories with /)")));
    l.add(
        c(
            "read: backslash separator",
            "fs.read",
            "dir\\b.txt",
            refused("dir\\b.txt", "it contains a backslash (separate directories with /)")));
    l.add(
        c(
            "read: fullwidth dots",
            "fs.read",
            "\uFF0E\uFF0E/secret/s.txt",
            refused("\\uFF0E\\uFF0E/secret/s.txt", normalised("../secret/s.txt"))));
    l.add(
        c(
            "read: two-dot leader",
            "fs.read",
            "\u2025/secret/s.txt",
            refused("\\u2025/secret/s.txt", normalised("../secret/s.txt"))));
    l.add(
        c(
            "read: small full stops",
            "fs.read",
            "\uFE52\uFE52/secret",
            refused("\\uFE52\\uFE52/secret", normalised("../secret"))));
    l.add(
        c(
            "read: fullwidth solidus",
            "fs.read",
            "..\uFF0Fsecret",
            refused("..\\uFF0Fsecret", normalised("../secret"))));
    l.add(
        c(
            "read: decomposed accent",
            "fs.read",
            "e\u0301.txt",
            refused("e\\u0301.txt", normalised("\\u00E9.txt"))));
    l.add(
        c(
            "read: ligature",
            "fs.read",
            "\uFB01le.txt",
            refused("\\uFB01le.txt", normalised("file.txt"))));
    l.add(
        c(
            "read: unpaired surrogate",
            "fs.read",
            "dir/\uD800x",
            refused("dir/\\uD800x", "it contains an unpaired surrogate")));
    l.add(c("read: link to /etc", "fs.read", "out/passwd", refused("out/passwd", viaLink("out"))));
    l.add(
        c(
            "read: link to a file outside",
            "fs.read",
            "outfile",
            refused("outfile", viaLink("outfile"))));
    l.add(
        c(
            "read: relative link to a sibling",
            "fs.read",
            "rel-out/s.txt",
            refused("rel-out/s.txt", viaLink("rel-out"))));
    l.add(
        c(
            "read: chain of links",
            "fs.read",
            "nested/chain/s.txt",
            refused("nested/chain/s.txt", viaLink("nested/chain"))));
    l.add(
        c(
            "read: dangling link outside",
            "fs.read",
            "dangling-out",
            refused("dangling-out", viaLink("dangling-out"))));
    l.add(
        c("read: link to /dev/null", "fs.read", "devnull", refused("devnull", viaLink("devnull"))));
    l.add(c("read: named pipe", "fs.read", "fifo", refused("fifo", NOT_REGULAR)));
    l.add(
        c(
            "read: hard link to a file outside",
            "fs.read",
            "hard.txt",
            refused("hard.txt", hardLink("fs.read"))));
    l.add(
        c(
            "read: empty",
            "fs.read",
            "",
            "path is empty (give a path relative to the workspace, such as src/Main.java)"));
    l.add(
        c(
            "read: very long",
            "fs.read",
            longPath,
            "path is refused: it is longer than 4096 characters"));
    // fs.write
    l.add(c("write: parent directory", "fs.write", "../evil.txt", refused("../evil.txt", DOTDOT)));
    l.add(
        c(
            "write: absolute /tmp",
            "fs.write",
            "/tmp/agentrt-evil.txt",
            refused("/tmp/agentrt-evil.txt", OUTSIDE)));
    l.add(
        c(
            "write: absolute sibling",
            "fs.write",
            secret.resolve("s.txt").toString(),
            refused(secret.resolve("s.txt").toString(), OUTSIDE)));
    l.add(
        c(
            "write: through a link to /etc",
            "fs.write",
            "out/evil",
            refused("out/evil", viaLink("out"))));
    l.add(
        c(
            "write: over a link to a file outside",
            "fs.write",
            "outfile",
            refused("outfile", viaLink("outfile"))));
    l.add(
        c(
            "write: into a relative link outside",
            "fs.write",
            "rel-out/s.txt",
            refused("rel-out/s.txt", viaLink("rel-out"))));
    l.add(
        c(
            "write: dangling link outside",
            "fs.write",
            "dangling-out",
            refused("dangling-out", viaLink("dangling-out"))));
    l.add(
        c(
            "write: link inside",
            "fs.write",
            "inlink-file",
            refused(
                "inlink-file", "it is a symbolic link (fs.write does not write through links)")));
    l.add(
        c(
            "write: dangling link inside",
            "fs.write",
            "dangling-in",
            refused(
                "dangling-in", "it is a symbolic link (fs.write does not write through links)")));
    l.add(c("write: named pipe", "fs.write", "fifo", refused("fifo", NOT_REGULAR)));
    l.add(
        c(
            "write: NUL",
            "fs.write",
            "a.txt\u0000",
            refused("a.txt\\u0000", "it contains a NUL byte")));
    l.add(
        c(
            "write: fullwidth dots",
            "fs.write",
            "\uFF0E\uFF0E/evil",
            refused("\\uFF0E\\uFF0E/evil", normalised("../evil"))));
    l.add(
        c(
            "write: carriage return",
            "fs.write",
            "a.txt\r",
            refused("a.txt\\u000D", "it contains the control character U+000D")));
    // fs.list
    l.add(c("list: parent", "fs.list", "../", refused("../", DOTDOT)));
    l.add(c("list: root", "fs.list", "/", refused("/", OUTSIDE)));
    l.add(c("list: /etc", "fs.list", "/etc", refused("/etc", OUTSIDE)));
    l.add(c("list: link out", "fs.list", "out", refused("out", viaLink("out"))));
    l.add(
        c("list: relative link out", "fs.list", "rel-out", refused("rel-out", viaLink("rel-out"))));
    // grep
    l.add(c("grep: parent", "grep", "../secret", refused("../secret", DOTDOT)));
    l.add(c("grep: absolute", "grep", "/etc", refused("/etc", OUTSIDE)));
    l.add(c("grep: link out", "grep", "out", refused("out", viaLink("out"))));
    l.add(c("grep: relative link out", "grep", "rel-out", refused("rel-out", viaLink("rel-out"))));
    l.add(
        c(
            "grep: hard link to a file outside",
            "grep",
            "hard.txt",
            refused("hard.txt", hardLink("grep"))));
    return l.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void call_hostilePath_isRefusedWithClearMessage(
      String name, String tool, String path, String message) {
    ToolResult r =
        bus.call(
            ToolInvocation.of(
                tool,
                switch (tool) {
                  case "fs.write" -> args("path", path, "content", "pwned\n");
                  case "grep" -> args("pattern", "secret", "path", path);
                  default -> args("path", path);
                }));

    assertThat(failure(r)).isEqualTo(message);
  }

  @Test
  void hostileCases_countAtLeastForty() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void write_afterHostileCases_leftEverythingOutsideUntouched() throws IOException {
    cases()
        .forEach(
            a ->
                call_hostilePath_isRefusedWithClearMessage(
                    (String) a.get()[0],
                    (String) a.get()[1],
                    (String) a.get()[2],
                    (String) a.get()[3]));

    assertThat(Files.readString(secret.resolve("s.txt"))).isEqualTo("top secret\n");
    try (Stream<Path> s = Files.list(secret)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("s.txt");
    }
    assertThat(Files.exists(Path.of("/tmp/agentrt-evil.txt"))).isFalse();
    assertThat(Files.isSymbolicLink(ws.resolve("inlink-file"))).isTrue();
    assertThat(Files.exists(ws.resolve("not-yet.txt"))).isFalse();
  }
}
