package dev.agentrt.codetools;

import static dev.agentrt.codetools.Bus.args;
import static dev.agentrt.codetools.Bus.failure;
import static dev.agentrt.codetools.Bus.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolInvocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** patch.apply through the ToolBus, on files of a temporary workspace. */
class PatchApplyTest {
  @TempDir Path ws;
  Bus bus;

  static final String A = "package a;\n\nclass A {\n  int x = 1;\n  int y = 2;\n}\n";
  static final String B = "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n";

  @BeforeEach
  void setUp() throws IOException {
    bus = new Bus(ws);
    write("src/A.java", A);
    write("notes/B.txt", B);
  }

  @AfterEach
  void tearDown() {
    bus.close();
  }

  void write(String path, String content) throws IOException {
    Path p = ws.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  String read(String path) throws IOException {
    return Files.readString(ws.resolve(path));
  }

  /** Every file of the workspace and its content. */
  Map<String, String> snapshot() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(ws)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p))
          m.put(ws.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  static final String TWO_FILES =
      "diff --git a/src/A.java b/src/A.java\n"
          + "--- a/src/A.java\n"
          + "+++ b/src/A.java\n"
          + "@@ -3,4 +3,5 @@\n"
          + " class A {\n"
          + "   int x = 1;\n"
          + "-  int y = 2;\n"
          + "+  int y = 3;\n"
          + "+  int z = 4;\n"
          + " }\n"
          + "--- a/notes/B.txt\n"
          + "+++ b/notes/B.txt\n"
          + "@@ -1,2 +1,2 @@\n"
          + "-line 1\n"
          + "+first line\n"
          + " line 2\n"
          + "@@ -6,3 +6,2 @@\n"
          + " line 6\n"
          + "-line 7\n"
          + " line 8\n";

  @Test
  void descriptor_isNonIdempotentAndNeedsFsWrite() {
    assertThat(bus.bus.descriptor("patch.apply"))
        .hasValueSatisfying(
            d -> {
              assertThat(d.effect()).isEqualTo(Effect.NON_IDEMPOTENT);
              assertThat(d.permissions()).contains("fs.write");
            });
  }

  @Test
  void apply_multiFilePatch_changesEveryFileAndReportsThem() throws IOException {
    ToolResult r = bus.call("patch.apply", "patch", TWO_FILES);

    assertThat(read("src/A.java"))
        .isEqualTo("package a;\n\nclass A {\n  int x = 1;\n  int y = 3;\n  int z = 4;\n}\n");
    assertThat(read("notes/B.txt"))
        .isEqualTo("first line\nline 2\nline 3\nline 4\nline 5\nline 6\nline 8\n");
    assertThat(value(r).toString())
        .isEqualTo(
            "{\"applied\":true,\"files\":["
                + "{\"path\":\"src/A.java\",\"change\":\"modified\",\"hunks\":1,\"lines_added\":2,\"lines_removed\":1},"
                + "{\"path\":\"notes/B.txt\",\"change\":\"modified\",\"hunks\":2,\"lines_added\":1,\"lines_removed\":2}]}");
  }

  @Test
  void apply_badSecondHunk_changesNothingAndNamesTheHunkAndLine() throws IOException {
    write("notes/B.txt", B.replace("line 7", "line seven"));
    Map<String, String> before = snapshot();

    ToolResult r = bus.call("patch.apply", "patch", TWO_FILES);

    assertThat(failure(r))
        .isEqualTo(
            "hunk 2 of notes/B.txt (@@ -6,3 +6,2 @@) does not apply: line 7 is \"line seven\" where the"
                + " patch expects \"line 7\" (read the file again and make the patch against its"
                + " current content); nothing was changed");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void apply_patchAppliedTwice_saysItSeemsAppliedAlready() throws IOException {
    value(bus.call("patch.apply", "patch", TWO_FILES));
    Map<String, String> before = snapshot();

    String message = failure(bus.call("patch.apply", "patch", TWO_FILES));

    assertThat(message)
        .startsWith(
            "hunk 1 of src/A.java (@@ -3,4 +3,5 @@) does not apply: line 5 is \"  int y = 3;\"")
        .contains("was the patch applied already?");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void apply_hunkShiftedByInsertedLines_appliesAtTheShiftedLine() throws IOException {
    write("notes/B.txt", "new 1\nnew 2\n" + B);

    JsonAssert r =
        new JsonAssert(
            value(
                bus.call(
                    "patch.apply",
                    "patch",
                    TWO_FILES.substring(TWO_FILES.indexOf("--- a/notes")))));

    assertThat(read("notes/B.txt"))
        .isEqualTo("new 1\nnew 2\nfirst line\nline 2\nline 3\nline 4\nline 5\nline 6\nline 8\n");
    assertThat(r.node.path("shifted").toString())
        .isEqualTo(
            "[\"hunk 1 of notes/B.txt applied at line 3 (+2 lines)\",\"hunk 2 of notes/B.txt applied at line 8 (+2 lines)\"]");
  }

  record JsonAssert(com.fasterxml.jackson.databind.JsonNode node) {}

  @Test
  void apply_createAndDelete_createsTheNewFileAndDeletesTheOld() throws IOException {
    String patch =
        "diff --git a/src/pkg/New.java b/src/pkg/New.java\n"
            + "new file mode 100644\n"
            + "--- /dev/null\n"
            + "+++ b/src/pkg/New.java\n"
            + "@@ -0,0 +1,2 @@\n"
            + "+class New {\n"
            + "+}\n"
            + "diff --git a/src/A.java b/src/A.java\n"
            + "deleted file mode 100644\n"
            + "--- a/src/A.java\n"
            + "+++ /dev/null\n"
            + "@@ -1,6 +0,0 @@\n"
            + "-package a;\n"
            + "-\n"
            + "-class A {\n"
            + "-  int x = 1;\n"
            + "-  int y = 2;\n"
            + "-}\n";

    ToolResult r = bus.call("patch.apply", "patch", patch);

    assertThat(value(r).path("files").findValuesAsText("change"))
        .containsExactly("created", "deleted");
    assertThat(read("src/pkg/New.java")).isEqualTo("class New {\n}\n");
    assertThat(ws.resolve("src/A.java")).doesNotExist();
  }

  @Test
  void apply_createOfExistingFile_failsAndChangesNothing() throws IOException {
    Map<String, String> before = snapshot();
    String patch = "--- /dev/null\n+++ b/src/A.java\n@@ -0,0 +1 @@\n+x\n";

    assertThat(failure(bus.call("patch.apply", "patch", patch)))
        .isEqualTo(
            "the patch creates src/A.java, which already exists (make the patch against the existing file: '--- a/src/A.java')");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void apply_noNewlineAtEnd_isKept() throws IOException {
    write("c.txt", "a\nb");
    String patch =
        "--- a/c.txt\n+++ b/c.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n";

    value(bus.call("patch.apply", "patch", patch));

    assertThat(read("c.txt")).isEqualTo("a\nc");
  }

  @Test
  void apply_pathOutsideWorkspace_isRefusedAsFsWriteRefusesIt() throws IOException {
    Map<String, String> before = snapshot();
    String patch = "--- /dev/null\n+++ b/../escape.txt\n@@ -0,0 +1 @@\n+x\n";

    String message = failure(bus.call("patch.apply", "patch", patch));
    String fsWrite = failure(bus.call("fs.write", "path", "../escape.txt", "content", "x"));

    assertThat(message).isEqualTo(fsWrite + "; nothing was changed");
    assertThat(fsWrite)
        .isEqualTo(
            "path '../escape.txt' is refused: '..' is not allowed (give a path inside the workspace without '..')");
    assertThat(ws.resolveSibling("escape.txt")).doesNotExist();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void apply_linkLeadingOutside_isRefused(@TempDir Path outside) throws IOException {
    Files.writeString(outside.resolve("secret.txt"), "s\n");
    Files.createSymbolicLink(ws.resolve("out"), outside);
    String patch = "--- a/out/secret.txt\n+++ b/out/secret.txt\n@@ -1 +1 @@\n-s\n+t\n";

    assertThat(failure(bus.call("patch.apply", "patch", patch)))
        .startsWith(
            "path 'out/secret.txt' is refused: it leads outside the workspace through the symbolic link 'out'");
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("s\n");
  }

  @Test
  void apply_check_reportsWithoutChanging() throws IOException {
    Map<String, String> before = snapshot();

    ToolResult r = bus.call("patch.apply", "patch", TWO_FILES, "check", true);

    assertThat(value(r).path("applied").asBoolean()).isFalse();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void apply_notADiff_saysWhatIsExpected() {
    assertThat(failure(bus.call("patch.apply", "patch", "just some text\n")))
        .startsWith("the patch contains no file change (expected a unified diff");
  }

  @Test
  void replay_ofARecordedCall_returnsTheRecordedResultWithoutApplyingAgain() throws IOException {
    String patch = "--- a/notes/B.txt\n+++ b/notes/B.txt\n@@ -1 +1,2 @@\n line 1\n+inserted\n";
    Bus.MemoryJournal first = new Bus.MemoryJournal();
    ToolResult applied = bus.bus.call(call(patch, first));
    assertThat(first.committed)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.response().path("idempotency_key").asText()).isEqualTo("run-1:s#1:0"));
    Bus.MemoryJournal resumed = new Bus.MemoryJournal();
    resumed.earlier.addAll(first.withStep); // the step committed with the call's result

    ToolResult replayed = bus.bus.call(call(patch, resumed));

    assertThat(replayed).isEqualTo(applied);
    assertThat(read("notes/B.txt"))
        .isEqualTo("line 1\ninserted\n" + B.substring("line 1\n".length()));
  }

  @Test
  void replay_ofAnUnfinishedCall_isNotRepeated() throws IOException {
    String patch = "--- a/notes/B.txt\n+++ b/notes/B.txt\n@@ -1 +1,2 @@\n line 1\n+inserted\n";
    Bus.MemoryJournal crashed = new Bus.MemoryJournal();
    bus.bus.call(call(patch, crashed));
    Bus.MemoryJournal resumed = new Bus.MemoryJournal();
    resumed.earlier.addAll(crashed.committed); // only the intent: the step never committed

    ToolResult r = bus.bus.call(call(patch, resumed));

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failure.class,
            f -> assertThat(f.kind()).isEqualTo(ToolFailureKind.INDETERMINATE_EFFECT));
    assertThat(read("notes/B.txt"))
        .isEqualTo("line 1\ninserted\n" + B.substring("line 1\n".length()));
  }

  private static ToolInvocation call(String patch, Bus.MemoryJournal journal) {
    return new ToolInvocation(
        "patch.apply", args("patch", patch), null, null, "run-1", "s#1", 0, journal, () -> false);
  }
}
