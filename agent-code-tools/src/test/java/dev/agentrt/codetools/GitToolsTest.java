package dev.agentrt.codetools;

import static dev.agentrt.codetools.Bus.failure;
import static dev.agentrt.codetools.Bus.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** git.status and git.diff through the ToolBus, on a repository made in the test. */
class GitToolsTest {
  @TempDir Path ws;
  Bus bus;

  @BeforeEach
  void setUp() throws IOException, GitAPIException {
    Files.writeString(ws.resolve("a.txt"), "one\ntwo\n");
    Files.writeString(ws.resolve("gone.txt"), "bye\n");
    Files.writeString(ws.resolve(".gitignore"), "target/\n");
    PersonIdent who = new PersonIdent("Test", "test@example.com");
    try (Git git = Git.init().setDirectory(ws.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("first").setAuthor(who).setCommitter(who).setSign(false).call();
      Files.writeString(ws.resolve("a.txt"), "one\n2\n"); // modified
      Files.delete(ws.resolve("gone.txt")); // missing
      Files.writeString(ws.resolve("new.txt"), "fresh\n"); // untracked
      Files.createDirectories(ws.resolve("target"));
      Files.writeString(ws.resolve("target/out.txt"), "ignored\n");
      Files.writeString(ws.resolve("staged.txt"), "s\n");
      git.add().addFilepattern("staged.txt").call(); // added
    }
    bus = new Bus(ws);
  }

  @AfterEach
  void tearDown() {
    bus.close();
  }

  @Test
  void status_listsEachKindOfChange() {
    JsonNode s = value(bus.call("git.status"));

    assertThat(s.path("branch").asText()).isEqualTo("main");
    assertThat(s.path("clean").asBoolean()).isFalse();
    assertThat(s.path("added").toString()).isEqualTo("[\"staged.txt\"]");
    assertThat(s.path("modified").toString()).isEqualTo("[\"a.txt\"]");
    assertThat(s.path("missing").toString()).isEqualTo("[\"gone.txt\"]");
    assertThat(s.path("untracked").toString()).isEqualTo("[\"new.txt\"]");
    assertThat(s.path("changed").toString()).isEqualTo("[]");
    assertThat(s.path("conflicting").toString()).isEqualTo("[]");
    assertThat(s.path("head").asText()).hasSize(12);
  }

  @Test
  void diff_workingTree_showsTrackedChangesAgainstHeadOnly() {
    JsonNode d = value(bus.call("git.diff"));

    assertThat(d.path("files").toString())
        .isEqualTo(
            "[{\"path\":\"a.txt\",\"change\":\"modify\"},{\"path\":\"gone.txt\",\"change\":\"delete\"},{\"path\":\"staged.txt\",\"change\":\"add\"}]");
    String diff = d.path("diff").asText();
    assertThat(diff)
        .contains("--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n")
        .contains("--- a/gone.txt\n+++ /dev/null\n")
        .doesNotContain("new.txt")
        .doesNotContain("target/");
    assertThat(d.path("truncated").asBoolean()).isFalse();
  }

  @Test
  void diff_stagedWithPath_showsOnlyTheIndexChangeOfThatPath() {
    JsonNode d =
        value(bus.call("git.diff", "staged", true, "paths", List.of("staged.txt", "a.txt")));

    assertThat(d.path("files").toString())
        .isEqualTo("[{\"path\":\"staged.txt\",\"change\":\"add\"}]");
    assertThat(d.path("diff").asText()).contains("+++ b/staged.txt\n@@ -0,0 +1 @@\n+s\n");
  }

  @Test
  void diff_overTheLimit_isCutAndMarkedTruncated() {
    JsonNode d = value(bus.call("git.diff", "max_bytes", 20));

    assertThat(d.path("diff").asText()).hasSize(20);
    assertThat(d.path("truncated").asBoolean()).isTrue();
  }

  @Test
  void status_outsideARepository_saysSo(@TempDir Path plain) {
    try (Bus other = new Bus(plain)) {
      assertThat(failure(other.call("git.status")))
          .startsWith("git.status: the workspace '")
          .endsWith(
              "' is not inside a git repository (run 'git init' there, or set policy.workspace to a repository)");
    }
  }
}
