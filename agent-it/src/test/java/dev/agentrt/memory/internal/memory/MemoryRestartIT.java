package dev.agentrt.memory.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.testsupport.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both backends keep what a process wrote when it dies without closing them. */
class MemoryRestartIT {
  @TempDir Path dir;

  private ChildJvm child(String backend, String mode) throws Exception {
    ChildJvm c = ChildJvm.start(MemoryRestartMain.class, backend, dir.toString(), mode);
    assertThat(c.exit(120)).as(c.output()).isEqualTo(0);
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void restart_afterHalt_findsEveryWrittenItemAndKeepsWriting(String backend) throws Exception {
    assertThat(child(backend, "write").last("written")).isNotNull();

    ChildJvm second = child(backend, "read");
    assertThat(second.last("count ")).isEqualTo("3");
    assertThat(second.last("k2 ")).isEqualTo("note number 2");
    assertThat(second.last("hits ")).isEqualTo("k1,k2,k3");

    assertThat(child(backend, "read").last("count ")).isEqualTo("4");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void restart_afterHaltBetweenStorageAndIndexCommitOfAnUpdate_searchFindsTheNewText(String backend)
      throws Exception {
    ChildJvm first =
        ChildJvm.start(MemoryRestartMain.class, backend, dir.toString(), "update-halt");
    assertThat(first.exit(120)).as(first.output()).isEqualTo(0);
    assertThat(first.output()).contains("halting before the index holds the change");

    ChildJvm second = child(backend, "search");
    assertThat(second.last("apples ")).isEqualTo("k2=fresh apples");
    assertThat(second.last("number ")).isEqualTo("k1=note number 1,k3=note number 3");
    assertThat(second.last("count ")).isEqualTo("3");
    assertThat(second.last("rebuilds ")).isEqualTo("1");

    assertThat(child(backend, "search").last("rebuilds ")).isEqualTo("0");
  }

  @Test
  void restart_jsonlWithTornLastLine_dropsItCutsItOffAndKeepsTheRest() throws Exception {
    child("jsonl", "write");
    Path file = dir.resolve("mem/project-shop.jsonl");
    Files.writeString(
        file,
        "{\"op\":\"put\",\"scope\":\"project\",\"owner\":\"shop\",\"key\":\"torn\",\"te",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    ChildJvm second = child("jsonl", "read");
    assertThat(second.output()).contains("is incomplete (a write was cut off by a crash)");
    assertThat(second.last("count ")).isEqualTo("3");
    assertThat(second.last("hits ")).isEqualTo("k1,k2,k3");

    ChildJvm third = child("jsonl", "read");
    assertThat(third.last("count ")).isEqualTo("4");
    assertThat(third.output()).doesNotContain("is incomplete");
    assertThat(Files.readString(file)).doesNotContain("torn").endsWith("\n");
  }
}
