package dev.agentrt.memory.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The on-disk search index never serves what storage no longer holds: a crash between a storage
 * commit and the index commit (simulated by {@link CrashWindowIndexes#cut}) leaves the index
 * labelled with an older change number, and the next open rebuilds it from storage, also when the
 * item count did not change.
 */
class IndexCrashWindowTest {
  private static final MemorySpace P = MemorySpace.project("shop");

  @TempDir Path dir;
  final CrashWindowIndexes indexes = new CrashWindowIndexes();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private IndexedStore open(String backend) {
    return open(backend, null);
  }

  private IndexedStore open(String backend, @Nullable Duration maxAge) {
    return Backends.open(
        backend,
        Backends.setup(dir, backend, null, maxAge, new Backends.LetterEmbedder(), clock),
        indexes);
  }

  private static List<String> sparse(IndexedStore s, String text) {
    return s.search(MemoryQuery.of(text, P).withK(10).withMode(SearchMode.SPARSE)).stream()
        .map(h -> h.item().key() + "=" + h.item().text())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void update_crashBeforeIndexCommit_reopenRebuildsAndFindsTheNewText(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(P, MemoryWrite.of("k1", "old apples"));
      s.put(P, MemoryWrite.of("k2", "pears"));
      indexes.cut = true;
      s.put(P, MemoryWrite.of("k1", "new bananas"));
      assertThat(sparse(s, "apples")).containsExactly("k1=old apples"); // the stale index
    }
    indexes.cut = false;
    int before = indexes.rebuilds.get();

    try (IndexedStore s = open(backend)) {
      assertThat(indexes.rebuilds.get()).isEqualTo(before + 1);
      assertThat(sparse(s, "apples")).isEmpty();
      assertThat(sparse(s, "bananas")).containsExactly("k1=new bananas");
      // hybrid hits carry the item from the index too
      List<MemoryHit> hybrid = s.search(MemoryQuery.of("bananas", P).withK(10));
      assertThat(hybrid).extracting(h -> h.item().text()).contains("new bananas", "pears");
      assertThat(hybrid).extracting(h -> h.item().text()).doesNotContain("old apples");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void deleteAndInsert_crashBeforeIndexCommit_reopenRebuildsWithTheSameCount(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(P, MemoryWrite.of("a", "alpha"));
      s.put(P, MemoryWrite.of("b", "beta"));
      indexes.cut = true;
      assertThat(s.delete(P, "a")).isTrue();
      s.put(P, MemoryWrite.of("c", "gamma"));
    }
    indexes.cut = false;

    try (IndexedStore s = open(backend)) {
      assertThat(s.count()).isEqualTo(2);
      assertThat(sparse(s, "alpha")).isEmpty();
      assertThat(sparse(s, "gamma")).containsExactly("c=gamma");
      assertThat(sparse(s, "beta")).containsExactly("b=beta");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void prune_crashBeforeIndexCommit_reopenForgetsThePrunedItems(String backend) {
    try (IndexedStore s = open(backend, Duration.ofDays(1))) {
      s.put(P, MemoryWrite.of("a", "alpha"));
      clock.advance(Duration.ofDays(2));
      indexes.cut = true;
      assertThat(s.prune()).isEqualTo(1);
      s.put(P, MemoryWrite.of("b", "beta"));
    }
    indexes.cut = false;

    try (IndexedStore s = open(backend)) {
      assertThat(sparse(s, "alpha")).isEmpty();
      assertThat(sparse(s, "beta")).containsExactly("b=beta");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void index_commitsEveryCommitEveryChangesAndOnClose_searchesSeeChangesAtOnce(String backend) {
    int base;
    try (IndexedStore s = open(backend)) {
      base = indexes.commits.get(); // the new index's first commit
      for (int i = 1; i < IndexedStore.COMMIT_EVERY; i++)
        s.put(P, MemoryWrite.of("k" + i, "text " + i));
      assertThat(indexes.commits.get()).isEqualTo(base);
      s.put(P, MemoryWrite.of("last", "plums"));
      assertThat(indexes.commits.get()).isEqualTo(base + 1);
      s.put(P, MemoryWrite.of("after", "figs"));
      assertThat(indexes.commits.get()).isEqualTo(base + 1);
      assertThat(sparse(s, "figs")).containsExactly("after=figs"); // not committed, found
    }
    assertThat(indexes.commits.get()).isEqualTo(base + 2);
    int rebuilds = indexes.rebuilds.get();
    try (IndexedStore s = open(backend)) {
      assertThat(indexes.rebuilds.get()).isEqualTo(rebuilds);
      assertThat(sparse(s, "figs")).containsExactly("after=figs");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void reopen_afterCleanClose_doesNotRebuild(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(P, MemoryWrite.of("k1", "apples"));
      s.put(P, MemoryWrite.of("k1", "bananas"));
      assertThat(s.delete(P, "k1")).isTrue();
      s.put(P, MemoryWrite.of("k2", "cherries"));
      assertThat(s.prune()).isZero();
    }
    int before = indexes.rebuilds.get();

    try (IndexedStore s = open(backend)) {
      assertThat(indexes.rebuilds.get()).isEqualTo(before);
      assertThat(sparse(s, "cherries")).containsExactly("k2=cherries");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void put_indexFailsAfterStorageCommit_rebuildsAtOnceAndSearchSeesTheWrite(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(P, MemoryWrite.of("k1", "apples"));
      int before = indexes.rebuilds.get();
      indexes.failNext = true;

      assertThatThrownBy(() -> s.put(P, MemoryWrite.of("k1", "bananas")))
          .hasMessage("index write failed (test)");

      assertThat(s.get(P, "k1").orElseThrow().text()).isEqualTo("bananas"); // storage has it
      assertThat(indexes.rebuilds.get()).isEqualTo(before + 1);
      assertThat(sparse(s, "bananas")).containsExactly("k1=bananas");
      assertThat(sparse(s, "apples")).isEmpty();
    }
    int before = indexes.rebuilds.get();
    try (IndexedStore s = open(backend)) {
      assertThat(indexes.rebuilds.get()).isEqualTo(before);
      assertThat(sparse(s, "bananas")).containsExactly("k1=bananas");
    }
  }
}
