package dev.agentrt.memory.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jsonl backend rewrites a file of mostly dead records with its live items. */
class JsonlCompactionTest {
  private static final MemorySpace PROJECT = MemorySpace.project("shop");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ScanSearchIndex.Factory index = new ScanSearchIndex.Factory();

  private IndexedStore open() {
    return Backends.open("jsonl", Backends.setup(dir, "jsonl", null, null, null, clock), index);
  }

  private Path file() {
    return dir.resolve("mem").resolve("project-shop.jsonl");
  }

  private long lines() throws IOException {
    try (var l = Files.lines(file())) {
      return l.count();
    }
  }

  @Test
  void updates_ofFewKeys_keepTheFileSmall_andTheItemsAndChangeNumberSurviveAReopen()
      throws IOException {
    long seq;
    try (IndexedStore s = open()) {
      // 48 batches of the same 64 keys (one append each): 3,072 records, 64 live items
      int batches = 3 * (int) JsonlMemoryStore.COMPACT_AT / 64;
      for (int b = 0; b < batches; b++) {
        clock.advance(Duration.ofSeconds(1));
        List<MemoryWrite> batch = new java.util.ArrayList<>();
        for (int k = 0; k < 64; k++)
          batch.add(MemoryWrite.of("k" + k, "version " + b + " of item " + k));
        s.putAll(PROJECT, batch);
      }
      s.delete(PROJECT, "k0");
      seq = s.seq();
      // without compaction the file would hold 3,073 records
      assertThat(seq).isEqualTo(3 * JsonlMemoryStore.COMPACT_AT + 1);
      assertThat(lines()).isLessThanOrEqualTo(JsonlMemoryStore.COMPACT_AT);
    }

    try (IndexedStore s = open()) {
      // the offset line keeps the change number: the index's label still matches storage's
      assertThat(s.seq()).isEqualTo(seq);
      assertThat(s.count()).isEqualTo(63);
      assertThat(s.get(PROJECT, "k0")).isEmpty();
      int last = 3 * (int) JsonlMemoryStore.COMPACT_AT / 64 - 1;
      assertThat(s.get(PROJECT, "k4").orElseThrow().text())
          .isEqualTo("version " + last + " of item 4");
      List<MemoryHit> hits = s.search(MemoryQuery.of("item 4", PROJECT));
      assertThat(hits).extracting(h -> h.item().key()).contains("k4");
      // writes after a compaction extend the compacted file
      s.put(PROJECT, MemoryWrite.of("k9", "after the compaction"));
      assertThat(s.seq()).isEqualTo(seq + 1);
    }
    try (IndexedStore s = open()) {
      assertThat(s.seq()).isEqualTo(seq + 1);
      assertThat(s.get(PROJECT, "k9")).isPresent();
    }
  }

  @Test
  void aCompactionCutOffByACrash_leavesTheOldFileWhole_andItsTemporaryFileIsRemoved()
      throws IOException {
    try (IndexedStore s = open()) {
      s.put(PROJECT, MemoryWrite.of("a", "alpha"));
    }
    // a crash while the compacted copy was being written: the copy is torn, the file intact
    Path tmp = file().resolveSibling("project-shop.jsonl.compacting");
    Files.writeString(tmp, "{\"op\":\"offset\",\"records\":7}\n{\"op\":\"put\",\"sco");

    try (IndexedStore s = open()) {
      assertThat(s.get(PROJECT, "a").orElseThrow().text()).isEqualTo("alpha");
      assertThat(s.seq()).isEqualTo(1);
    }
    assertThat(tmp).doesNotExist();
  }
}
