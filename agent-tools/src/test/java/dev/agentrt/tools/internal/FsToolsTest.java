package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.tools.BuiltinTools;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsToolsTest {
  @TempDir Path dir;
  Path ws;
  Path outside;
  ToolBus bus;

  @BeforeEach
  void setUp() throws IOException {
    ws = Files.createDirectories(dir.resolve("ws")).toRealPath();
    outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
    Files.writeString(ws.resolve("lines.txt"), "one\ntwo\nthree\nfour\n");
    bus = bus(BuiltinTools.fsWrite());
  }

  ToolBus bus(dev.agentrt.core.spi.Tool write) {
    return ToolBus.builder()
        .discovery(false)
        .tool(BuiltinTools.fsRead())
        .tool(write)
        .tool(BuiltinTools.fsList())
        .policy(
            ToolPolicy.builder()
                .workspace(ws)
                .toolSettings("fs.read", TestSupport.json("{'max_bytes': 10}"))
                .build())
        .build();
  }

  @AfterEach
  void close() {
    bus.close();
  }

  JsonNode call(String tool, Object... kv) {
    return value(bus.call(ToolInvocation.of(tool, args(kv))));
  }

  @Test
  void read_lineRange_returnsLinesAndTotal() {
    assertThat(call("fs.read", "path", "lines.txt", "start_line", 2, "end_line", 3))
        .isEqualTo(
            TestSupport.json(
                "{'path': 'lines.txt', 'start_line': 2, 'end_line': 3, 'total_lines': 4, 'content': 'two\\nthree\\n', 'truncated': false}"));
  }

  @Test
  void read_overSizeCap_truncatesAndSaysWhereToContinue() {
    assertThat(call("fs.read", "path", "lines.txt"))
        .isEqualTo(
            TestSupport.json(
                "{'path': 'lines.txt', 'start_line': 1, 'end_line': 2, 'total_lines': 4, 'content': 'one\\ntwo\\n', 'truncated': true, "
                    + "'note': 'stopped at 10 bytes; read the rest with start_line 3'}"));
  }

  @Test
  void read_firstLineLongerThanSizeCap_isCutAndSaysWhereToContinue() throws IOException {
    Files.writeString(ws.resolve("long.txt"), "abcdefghijklmnopqrstuvwxyz\nnext\n");

    assertThat(call("fs.read", "path", "long.txt"))
        .isEqualTo(
            TestSupport.json(
                "{'path': 'long.txt', 'start_line': 1, 'end_line': 1, 'total_lines': 2, 'content': 'abcdefghi\\n', 'truncated': true, "
                    + "'note': 'line 1 is longer than 10 bytes and was cut; stopped at 10 bytes; read the rest with start_line 2'}"));
  }

  @Test
  void read_hugeSparseFileAfterText_isRefusedAtItsFirstNulWithoutReadingIt() throws IOException {
    Path big = ws.resolve("big.log");
    Files.writeString(
        big,
        "text before the hole\n".repeat(500)); // more than the 8 KiB sniffed for binary content
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(4L * 1024 * 1024 * 1024); // 4 GiB of zeros, no disk used
    }

    assertThat(
            failure(bus.call(ToolInvocation.of("fs.read", args("path", "big.log", "end_line", 1)))))
        .isEqualTo(
            "path 'big.log' is a binary file (a NUL byte at offset 10500; fs.read reads text only)");
  }

  @Test
  void read_crLfAndLoneCr_endLinesLikeReadLine() throws IOException {
    Files.writeString(ws.resolve("eol.txt"), "a\r\nb\rc\nd");
    bus.close();
    bus =
        ToolBus.builder()
            .discovery(false)
            .tool(BuiltinTools.fsRead())
            .policy(ToolPolicy.builder().workspace(ws).build())
            .build();

    assertThat(call("fs.read", "path", "eol.txt"))
        .isEqualTo(
            TestSupport.json(
                "{'path': 'eol.txt', 'start_line': 1, 'end_line': 4, 'total_lines': 4, 'content': 'a\\nb\\nc\\nd\\n', 'truncated': false}"));
  }

  @Test
  void read_binaryFile_isRefused() throws IOException {
    Files.write(ws.resolve("b.bin"), new byte[] {1, 0, 2});

    assertThat(failure(bus.call(ToolInvocation.of("fs.read", args("path", "b.bin")))))
        .isEqualTo("path 'b.bin' is a binary file (fs.read reads text only)");
  }

  @Test
  void read_missingFile_failsClearly() {
    assertThat(failure(bus.call(ToolInvocation.of("fs.read", args("path", "nope.txt")))))
        .isEqualTo("path 'nope.txt': no such file (list the directory with fs.list)");
  }

  @Test
  void read_linkInsideWorkspace_isFollowed() throws IOException {
    Files.createSymbolicLink(ws.resolve("alias.txt"), Path.of("lines.txt"));

    assertThat(call("fs.read", "path", "alias.txt", "end_line", 1).get("content").asText())
        .isEqualTo("one\n");
  }

  @Test
  void write_createOverwriteAppend_writeAtomicallyWithReadablePermissions() throws IOException {
    assertThat(call("fs.write", "path", "new/dir/a.txt", "content", "x", "mode", "create"))
        .hasToString(
            TestSupport.json(
                    "{'path': 'new/dir/a.txt', 'mode': 'create', 'bytes_written': 1, 'size_bytes': 1, 'created': true}")
                .toString());
    call("fs.write", "path", "new/dir/a.txt", "content", "y");
    call("fs.write", "path", "new/dir/a.txt", "content", "z", "mode", "append");

    assertThat(Files.readString(ws.resolve("new/dir/a.txt"))).isEqualTo("yz");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ws.resolve("new/dir/a.txt"))))
        .isEqualTo("rw-r--r--");
    try (var s = Files.list(ws.resolve("new/dir"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly("a.txt"); // no temporary files left
    }
  }

  @Test
  void write_createExisting_isRefused() {
    assertThat(
            failure(
                bus.call(
                    ToolInvocation.of(
                        "fs.write", args("path", "lines.txt", "content", "x", "mode", "create")))))
        .isEqualTo("path 'lines.txt' already exists (use mode overwrite or append)");
  }

  @Test
  void write_keepsPermissionsOfReplacedFile() throws IOException {
    Files.setPosixFilePermissions(
        ws.resolve("lines.txt"), PosixFilePermissions.fromString("rwxr-x---"));

    call("fs.write", "path", "lines.txt", "content", "x");

    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(ws.resolve("lines.txt"))))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void write_directorySwappedForLinkOutsideMidCall_isRefusedAndNothingWrittenOutside()
      throws IOException {
    Files.createDirectories(ws.resolve("sub"));
    bus.close();
    bus =
        bus(
            new FsTools.WriteTool(
                () -> {
                  try { // between preparing the temporary file and committing it, sub/ becomes a
                    // link out
                    Path moved = ws.resolve("sub-moved");
                    Files.move(ws.resolve("sub"), moved);
                    Files.createSymbolicLink(ws.resolve("sub"), outside);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }));

    String msg =
        failure(
            bus.call(ToolInvocation.of("fs.write", args("path", "sub/f.txt", "content", "pwned"))));

    assertThat(msg)
        .isEqualTo(
            "path 'sub/f.txt' is refused: it leads outside the workspace through a symbolic link created while the call ran");
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void write_fileSwappedForLinkMidCall_replacesLinkInsteadOfFollowingIt() throws IOException {
    Path target = outside.resolve("victim.txt");
    Files.writeString(target, "safe");
    bus.close();
    bus =
        bus(
            new FsTools.WriteTool(
                () -> {
                  try {
                    Files.createSymbolicLink(ws.resolve("late.txt"), target);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }));

    String msg =
        failure(
            bus.call(ToolInvocation.of("fs.write", args("path", "late.txt", "content", "pwned"))));

    assertThat(msg)
        .isEqualTo(
            "path 'late.txt' is refused: it is a symbolic link (fs.write does not write through links)");
    assertThat(Files.readString(target)).isEqualTo("safe");
  }

  @Test
  void list_globRecursive_listsMatchingEntriesWithoutFollowingLinks() throws IOException {
    Files.createDirectories(ws.resolve("src/a"));
    Files.writeString(ws.resolve("src/A.java"), "");
    Files.writeString(ws.resolve("src/a/B.java"), "");
    Files.writeString(ws.resolve("src/a/c.txt"), "");
    Files.createSymbolicLink(ws.resolve("src/out"), outside);

    assertThat(call("fs.list", "glob", "src/**/*.java"))
        .hasToString(
            TestSupport.json(
                    "{'path': '.', 'entries': ["
                        + "{'path': 'src/A.java', 'type': 'file', 'size': 0}, {'path': 'src/a/B.java', 'type': 'file', 'size': 0}], 'truncated': false}")
                .toString());
    assertThat(call("fs.list", "path", "src"))
        .hasToString(
            TestSupport.json(
                    "{'path': 'src', 'entries': ["
                        + "{'path': 'src/A.java', 'type': 'file', 'size': 0}, {'path': 'src/a', 'type': 'dir'}, "
                        + "{'path': 'src/out', 'type': 'link'}], 'truncated': false}")
                .toString());
  }
}
