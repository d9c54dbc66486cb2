package dev.agentrt.memory.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryFilter;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both memory backends, on real files, with an exact scan index behind them. */
class MemoryBackendsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MemorySpace PROJECT = MemorySpace.project("shop");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ScanSearchIndex.Factory index = new ScanSearchIndex.Factory();

  private IndexedStore open(
      String backend, Long maxItems, Duration maxAge, Backends.LetterEmbedder e) {
    return Backends.open(backend, Backends.setup(dir, backend, maxItems, maxAge, e, clock), index);
  }

  private IndexedStore open(String backend) {
    return open(backend, null, null, null);
  }

  private static List<String> keys(List<MemoryHit> hits) {
    List<String> out = new ArrayList<>();
    for (MemoryHit h : hits) out.add(h.item().key());
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void put_sameKeyTwice_keepsOneItemWithFirstCreatedAndNewUpdated(String backend) {
    try (IndexedStore s = open(backend)) {
      MemoryItem first = s.put(PROJECT, MemoryWrite.of("db", "db-1 runs PostgreSQL 14"));
      clock.advance(Duration.ofMinutes(5));
      MemoryItem second = s.put(PROJECT, MemoryWrite.of("db", "db-1 runs PostgreSQL 15"));

      assertThat(second.created()).isEqualTo(first.created());
      assertThat(second.updated()).isEqualTo(first.updated().plus(Duration.ofMinutes(5)));
      assertThat(s.get(PROJECT, "db")).contains(second);
      assertThat(s.count()).isEqualTo(1);
      assertThat(keys(s.search(MemoryQuery.of("postgresql", PROJECT)))).containsExactly("db");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void put_oneOverMaxItems_deletesTheOldestFromStoreAndIndex(String backend) {
    try (IndexedStore s = open(backend, 3L, null, null)) {
      for (int i = 1; i <= 4; i++) {
        s.put(PROJECT, MemoryWrite.of("k" + i, "note number " + i));
        clock.advance(Duration.ofSeconds(1));
      }

      assertThat(s.get(PROJECT, "k1")).isEmpty();
      assertThat(s.get(PROJECT, "k4")).isPresent();
      assertThat(s.count()).isEqualTo(3);
      assertThat(keys(s.search(MemoryQuery.of("note", PROJECT)))).containsExactly("k2", "k3", "k4");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void put_overMaxItemsWithEqualTimes_deletesSmallestKeyFirst(String backend) {
    try (IndexedStore s = open(backend, 2L, null, null)) {
      s.putAll(
          PROJECT,
          List.of(MemoryWrite.of("b", "x"), MemoryWrite.of("c", "x"), MemoryWrite.of("a", "x")));

      assertThat(s.get(PROJECT, "a")).isEmpty();
      assertThat(s.get(PROJECT, "b")).isPresent();
      assertThat(s.get(PROJECT, "c")).isPresent();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void prune_itemsOlderThanMaxAge_areDeletedOthersKept(String backend) {
    try (IndexedStore s = open(backend, null, Duration.ofDays(90), null)) {
      s.put(PROJECT, MemoryWrite.of("old", "an old note"));
      clock.advance(Duration.ofDays(60));
      s.put(PROJECT, MemoryWrite.of("new", "a new note"));
      clock.advance(Duration.ofDays(31));

      assertThat(s.prune()).isEqualTo(1);

      assertThat(s.get(PROJECT, "old")).isEmpty();
      assertThat(s.get(PROJECT, "new")).isPresent();
      assertThat(keys(s.search(MemoryQuery.of("note", PROJECT)))).containsExactly("new");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void search_taskSpaces_otherRunsItemsAreNeverFound(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(MemorySpace.task("run-a"), MemoryWrite.of("secret", "the launch code"));
      s.put(MemorySpace.task("run-b"), MemoryWrite.of("mine", "my launch plan"));

      List<MemoryHit> hits = s.search(MemoryQuery.of("launch code", MemorySpace.task("run-b")));

      assertThat(keys(hits)).containsExactly("mine");
      assertThat(s.get(MemorySpace.task("run-b"), "secret")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void search_withFilters_returnsOnlyMatchingItems(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(PROJECT, write("a", "disk report", "{\"host\":\"db-1\",\"level\":3}", "ops"));
      s.put(PROJECT, write("b", "disk report", "{\"host\":\"db-2\",\"level\":2}", "ops"));
      s.put(PROJECT, write("c", "disk report", "{\"host\":\"web-1\",\"level\":3}"));

      MemoryQuery q = MemoryQuery.of("disk", PROJECT);
      assertThat(keys(s.search(q.withFilter(MemoryFilter.NONE.eq("host", "db-1")))))
          .containsExactly("a");
      assertThat(
              keys(s.search(q.withFilter(MemoryFilter.NONE.in("host", List.of("db-2", "web-1"))))))
          .containsExactly("b", "c");
      assertThat(keys(s.search(q.withFilter(MemoryFilter.NONE.eq("level", "3").tag("ops")))))
          .containsExactly("a");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void search_equalScores_orderedByKeyEveryTime(String backend) {
    try (IndexedStore s = open(backend)) {
      for (String k : List.of("delta", "alpha", "charlie", "bravo"))
        s.put(PROJECT, MemoryWrite.of(k, "same words here"));

      List<String> first = keys(s.search(MemoryQuery.of("same words", PROJECT)));
      List<String> again = keys(s.search(MemoryQuery.of("same words", PROJECT)));

      assertThat(first).containsExactly("alpha", "bravo", "charlie", "delta");
      assertThat(again).isEqualTo(first);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void search_denseWithoutEmbedder_failsNamingHowToAddOne(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(PROJECT, MemoryWrite.of("a", "text"));

      assertThatThrownBy(() -> s.search(MemoryQuery.of("text", PROJECT).withMode(SearchMode.DENSE)))
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("dev.agentrt:agent-embeddings")
          .hasMessageContaining("AgentRuntime.builder().embedder(");
      assertThat(keys(s.search(MemoryQuery.of("text", PROJECT)))).containsExactly("a");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void search_hybridWithEmbedder_fusesBothRankingsAndReportsRanks(String backend) {
    Backends.LetterEmbedder e = new Backends.LetterEmbedder();
    try (IndexedStore s = open(backend, null, null, e)) {
      s.put(PROJECT, MemoryWrite.of("cat", "the cat sat"));
      s.put(PROJECT, MemoryWrite.of("dog", "a dog barked"));

      List<MemoryHit> hits = s.search(MemoryQuery.of("cat", PROJECT));

      assertThat(hits.get(0).item().key()).isEqualTo("cat");
      assertThat(hits.get(0).sparseRank()).isEqualTo(1);
      assertThat(hits.get(0).denseRank()).isEqualTo(1);
      assertThat(hits.get(0).fusedScore()).isEqualTo(2.0 / 61);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void search_vectorsOfAnotherModel_failsNamingBothModels(String backend) {
    try (IndexedStore s = open(backend, null, null, new Backends.LetterEmbedder("old-model", 26))) {
      s.put(PROJECT, MemoryWrite.of("a", "text"));
    }
    try (IndexedStore s = open(backend, null, null, new Backends.LetterEmbedder("new-model", 13))) {
      assertThatThrownBy(() -> s.search(MemoryQuery.of("text", PROJECT).withMode(SearchMode.DENSE)))
          .isInstanceOf(MemoryException.class)
          .hasMessageContaining("'old-model/26'")
          .hasMessageContaining("'new-model/13'")
          .hasMessageContaining("agentrt memory reembed");
      assertThat(keys(s.search(MemoryQuery.of("text", PROJECT).withMode(SearchMode.SPARSE))))
          .containsExactly("a");
      s.put(PROJECT, MemoryWrite.of("a", "text again"));
      assertThat(keys(s.search(MemoryQuery.of("text", PROJECT).withMode(SearchMode.DENSE))))
          .containsExactly("a");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void reembed_afterTheModelChanged_embedsOnlyTheStaleItems_keepingThemAsTheyWere(String backend) {
    MemoryItem kept;
    try (IndexedStore s = open(backend, null, null, new Backends.LetterEmbedder("old-model", 26))) {
      kept = s.put(PROJECT, write("a", "apples and pears", "{\"k\":1}", "fruit"));
      s.put(PROJECT, MemoryWrite.of("b", "bananas"));
    }
    clock.advance(Duration.ofDays(1));
    Backends.LetterEmbedder fresh = new Backends.LetterEmbedder("new-model", 13);
    try (IndexedStore s = open(backend, null, null, fresh)) {
      s.put(PROJECT, MemoryWrite.of("c", "cherries")); // already of the new model
      int before = fresh.calls.get();

      assertThat(s.reembed()).isEqualTo(2);

      assertThat(fresh.calls.get() - before).isEqualTo(1); // one batch of two texts
      assertThat(s.get(PROJECT, "a")).contains(kept); // text, metadata, tags and times unchanged
      assertThat(keys(s.search(MemoryQuery.of("apples", PROJECT).withMode(SearchMode.DENSE))))
          .startsWith("a");
      assertThat(s.reembed()).isZero();
    }
    try (IndexedStore s = open(backend, null, null, new Backends.LetterEmbedder("new-model", 13))) {
      // durable: the next open has only new-model vectors
      assertThat(keys(s.search(MemoryQuery.of("bananas", PROJECT).withMode(SearchMode.DENSE))))
          .startsWith("b");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void putAll_manyItems_embedsInBatchesOnceEach(String backend) {
    Backends.LetterEmbedder e = new Backends.LetterEmbedder();
    try (IndexedStore s = open(backend, null, null, e)) {
      List<MemoryWrite> writes = new ArrayList<>();
      for (int i = 0; i < 150; i++) writes.add(MemoryWrite.of("k" + i, "item " + i));

      s.putAll(PROJECT, writes);

      assertThat(e.calls.get()).isEqualTo(3); // 64 + 64 + 22
      assertThat(s.count()).isEqualTo(150);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void open_again_refeedsTheIndexFromStoredVectorsWithoutEmbedding(String backend) {
    try (IndexedStore s = open(backend, null, null, new Backends.LetterEmbedder())) {
      s.put(PROJECT, MemoryWrite.of("cat", "the cat sat"));
      s.put(PROJECT, MemoryWrite.of("dog", "a dog barked"));
    }
    Backends.LetterEmbedder e = new Backends.LetterEmbedder();
    try (IndexedStore s = open(backend, null, null, e)) {
      List<MemoryHit> dense = s.search(MemoryQuery.of("dog", PROJECT).withMode(SearchMode.DENSE));

      assertThat(dense.get(0).item().key()).isEqualTo("dog");
      assertThat(e.calls.get()).isEqualTo(1); // the query only
      assertThat(index.opened.get(index.opened.size() - 1).size()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "jsonl"})
  void delete_removesFromStoreAndIndex(String backend) {
    try (IndexedStore s = open(backend)) {
      s.put(PROJECT, MemoryWrite.of("a", "some text"));

      assertThat(s.delete(PROJECT, "a")).isTrue();
      assertThat(s.delete(PROJECT, "a")).isFalse();
      assertThat(s.get(PROJECT, "a")).isEmpty();
      assertThat(s.search(MemoryQuery.of("text", PROJECT))).isEmpty();
    }
  }

  private static MemoryWrite write(String key, String text, String metadata, String... tags) {
    try {
      return new MemoryWrite(key, text, (ObjectNode) JSON.readTree(metadata), List.of(tags));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
