package dev.agentrt.memory.internal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.memory.Fusion;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryFilter;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneSearchIndexTest {
  private static final MemorySpace P = MemorySpace.project("p1");
  private static final Instant T = Corpus.T;

  private final List<LuceneSearchIndex> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(LuceneSearchIndex::close);
  }

  private LuceneSearchIndex memory() {
    LuceneSearchIndex index = LuceneSearchIndex.inMemory();
    open.add(index);
    return index;
  }

  private static MemoryItem item(MemorySpace space, String key, String text) {
    return new MemoryItem(space, key, text, null, null, T, T);
  }

  private static float[] vec(float... v) {
    return v;
  }

  private static List<String> keys(List<MemoryHit> hits) {
    List<String> keys = new ArrayList<>();
    for (MemoryHit h : hits) keys.add(h.item().key());
    return keys;
  }

  private static Corpus load(LuceneSearchIndex index, int size) {
    Corpus corpus = new Corpus(42, size, 40, 64, P);
    for (int i = 0; i < size; i++) index.upsert(corpus.items.get(i), corpus.vectors.get(i));
    return corpus;
  }

  @Test
  void sparse_stemsAndDropsStopWords_findsInflectedForms() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "a", "The runner was running through the gardens"), null);
    index.upsert(item(P, "b", "A quiet evening with a book"), null);

    List<MemoryHit> hits = index.sparse(MemoryQuery.of("garden runs", P), 10);

    assertThat(keys(hits)).containsExactly("a");
    assertThat(hits.get(0).sparseRank()).isEqualTo(1);
    assertThat(hits.get(0).sparseScore()).isPositive().isEqualTo(hits.get(0).fusedScore());
    assertThat(hits.get(0).denseScore()).isNull();
    assertThat(index.sparse(MemoryQuery.of("the of and", P), 10)).isEmpty();
  }

  @Test
  void dense_scoreIsCosineOfTheVectors() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "x", "x"), vec(1, 0, 0));
    index.upsert(item(P, "diag", "d"), vec(1, 1, 0));
    index.upsert(item(P, "none", "no vector"), null);

    List<MemoryHit> hits = index.dense(MemoryQuery.of("q", P), vec(2, 0, 0), 10);

    assertThat(keys(hits)).containsExactly("x", "diag");
    assertThat(hits.get(0).denseScore()).isEqualTo(1.0);
    assertThat(hits.get(1).denseScore())
        .isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(hits.get(1).denseRank()).isEqualTo(2);
    assertThat(hits.get(1).sparseScore()).isNull();
  }

  @Test
  void hits_carryTheWholeItem() {
    LuceneSearchIndex index = memory();
    ObjectNode meta = JsonNodeFactory.instance.objectNode().put("lang", "en").put("n", 3);
    meta.putArray("list").add(1);
    MemoryItem item =
        new MemoryItem(
            P, "k", "lucene stores the item", meta, List.of("b", "a"), T, T.plusSeconds(5));
    index.upsert(item, vec(1, 0));

    assertThat(index.sparse(MemoryQuery.of("lucene", P), 1).get(0).item()).isEqualTo(item);
    assertThat(index.dense(MemoryQuery.of("lucene", P), vec(1, 0), 1).get(0).item())
        .isEqualTo(item);
  }

  @Test
  void dense_filterMatchingFewItems_stillFindsNWithinTheFilter() {
    LuceneSearchIndex index = memory();
    Corpus corpus = load(index, 3000);
    Corpus.Query q = corpus.query(3);
    // 1 item in 10 has lang=fr; of those, topic 3 ones are rare
    MemoryQuery query = MemoryQuery.of(q.text(), P).withFilter(MemoryFilter.NONE.eq("lang", "fr"));

    List<MemoryHit> hits = index.dense(query, q.vector(), 40);

    assertThat(hits).hasSize(40);
    assertThat(hits)
        .allSatisfy(h -> assertThat(h.item().metadata().get("lang").asText()).isEqualTo("fr"));
    assertThat(hits).isSortedAccordingTo(Fusion.ORDER);
  }

  @Test
  void dense_veryNarrowFilter_findsEveryPassingItem() {
    LuceneSearchIndex index = memory();
    Corpus corpus = load(index, 3000);
    // topic 5 and lang=fr and tag pinned: a handful of 3000
    MemoryFilter filter = MemoryFilter.NONE.eq("topic", "5").eq("lang", "fr").tag("pinned");
    long passing =
        corpus.items.stream()
            .filter(i -> i.metadata().get("topic").asInt() == 5)
            .filter(i -> i.metadata().get("lang").asText().equals("fr"))
            .filter(i -> i.tags().contains("pinned"))
            .count();

    List<MemoryHit> hits =
        index.dense(MemoryQuery.of("q", P).withFilter(filter), corpus.query(9).vector(), 40);

    assertThat(passing).isBetween(1L, 39L);
    assertThat(hits).hasSize((int) passing);
  }

  @Test
  void filters_inOnNumbersAndBooleans_compareJsonText() {
    LuceneSearchIndex index = memory();
    for (int i = 0; i < 6; i++) {
      ObjectNode meta = JsonNodeFactory.instance.objectNode().put("n", i).put("even", i % 2 == 0);
      index.upsert(new MemoryItem(P, "k" + i, "shared words here", meta, null, T, T), vec(1, i));
    }
    MemoryQuery in =
        MemoryQuery.of("shared", P).withFilter(MemoryFilter.NONE.in("n", List.of("1", "4", "5")));
    MemoryQuery evenAndIn = in.withFilter(in.filter().eq("even", "true"));

    assertThat(keys(index.sparse(in, 10))).containsExactlyInAnyOrder("k1", "k4", "k5");
    assertThat(keys(index.dense(in, vec(1, 0), 10))).containsExactlyInAnyOrder("k1", "k4", "k5");
    assertThat(keys(index.sparse(evenAndIn, 10))).containsExactly("k4");
    assertThat(keys(index.dense(evenAndIn, vec(1, 0), 10))).containsExactly("k4");
  }

  @Test
  void filters_tags_requireEveryTag() {
    LuceneSearchIndex index = memory();
    index.upsert(new MemoryItem(P, "ab", "note", null, List.of("a", "b"), T, T), vec(1, 0));
    index.upsert(new MemoryItem(P, "a", "note", null, List.of("a"), T, T), vec(1, 0));
    index.upsert(new MemoryItem(P, "none", "note", null, List.of(), T, T), vec(1, 0));

    MemoryQuery a = MemoryQuery.of("note", P).withFilter(MemoryFilter.NONE.tag("a"));
    MemoryQuery ab = a.withFilter(a.filter().tag("b"));

    assertThat(keys(index.sparse(a, 10))).containsExactly("a", "ab");
    assertThat(keys(index.dense(a, vec(1, 0), 10))).containsExactly("a", "ab");
    assertThat(keys(index.sparse(ab, 10))).containsExactly("ab");
    assertThat(keys(index.dense(ab, vec(1, 0), 10))).containsExactly("ab");
  }

  @Test
  void spaces_onlyTheQueriedSpacesAreSearched() {
    LuceneSearchIndex index = memory();
    MemorySpace run1 = MemorySpace.task("run-1");
    MemorySpace run2 = MemorySpace.task("run-2");
    // owners that would collide if the space were encoded naively
    MemorySpace odd = MemorySpace.task("run-1:x");
    index.upsert(item(run1, "k", "secret plan"), vec(1, 0));
    index.upsert(item(run2, "k", "secret plan"), vec(1, 0));
    index.upsert(item(odd, "k", "secret plan"), vec(1, 0));
    index.upsert(item(MemorySpace.global(), "k", "secret plan"), vec(1, 0));

    MemoryQuery q = MemoryQuery.of("secret", run1, MemorySpace.global());

    assertThat(index.sparse(q, 10))
        .extracting(h -> h.item().space())
        .containsExactly(run1, MemorySpace.global());
    assertThat(index.dense(q, vec(1, 0), 10))
        .extracting(h -> h.item().space())
        .containsExactly(run1, MemorySpace.global());
    assertThat(index.size()).isEqualTo(4);
  }

  @Test
  void spaces_sameSpaceTwice_stillOnlyThatSpace() {
    LuceneSearchIndex index = memory();
    MemorySpace other = MemorySpace.task("run-1");
    index.upsert(item(P, "mine", "secret plan"), vec(1, 0));
    index.upsert(item(other, "theirs", "secret plan"), vec(1, 0));

    // the one space holds half the index: counted twice it must not pass for all of it
    MemoryQuery q = MemoryQuery.of("secret", P, P);

    assertThat(keys(index.sparse(q, 10))).containsExactly("mine");
    assertThat(keys(index.dense(q, vec(1, 0), 10))).containsExactly("mine");
  }

  @Test
  void spaces_otherSpaceDeleted_itsItemsStayHidden() {
    LuceneSearchIndex index = memory();
    MemorySpace other = MemorySpace.task("run-1");
    index.upsert(item(P, "mine", "secret plan"), vec(1, 0));
    index.upsert(item(other, "a", "secret plan"), vec(1, 0));
    index.upsert(item(other, "b", "secret plan"), vec(1, 0));
    index.delete(other, "a");

    MemoryQuery q = MemoryQuery.of("secret", P);

    assertThat(keys(index.sparse(q, 10))).containsExactly("mine");
    assertThat(keys(index.dense(q, vec(1, 0), 10))).containsExactly("mine");
  }

  @Test
  void hybrid_givesTheDenseAndTheSparseRanking() {
    LuceneSearchIndex index = memory();
    Corpus corpus = load(index, 1500);
    for (int topic = 0; topic < 5; topic++) {
      Corpus.Query q = corpus.query(topic);
      MemoryQuery query = MemoryQuery.of(q.text(), P);

      SearchIndex.Rankings both = index.hybrid(query, q.vector(), 40);

      assertThat(both.dense()).isEqualTo(index.dense(query, q.vector(), 40)).hasSize(40);
      assertThat(both.sparse()).isEqualTo(index.sparse(query, 40)).isNotEmpty();
    }
  }

  @Test
  void hybrid_nBelowOne_isRejected() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "k", "some words"), vec(1, 0));

    assertThatThrownBy(() -> index.hybrid(MemoryQuery.of("words", P), vec(1, 0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n must be at least 1, got 0");
  }

  @Test
  void ties_orderedByScopeOwnerKey_notByInsertionOrder() {
    List<MemoryItem> items = new ArrayList<>();
    for (int i = 0; i < 30; i++) items.add(item(P, String.format("k%02d", i), "same words"));
    items.add(item(MemorySpace.task("r"), "zz", "same words"));
    items.add(item(MemorySpace.global(), "aa", "same words"));
    List<MemoryItem> shuffled = new ArrayList<>(items);
    Collections.shuffle(shuffled, new Random(7));
    LuceneSearchIndex index = memory();
    for (MemoryItem i : shuffled) index.upsert(i, vec(0.6f, 0.8f));
    MemoryQuery q = MemoryQuery.of("same", P, MemorySpace.task("r"), MemorySpace.global());

    List<MemoryHit> sparse = index.sparse(q, 5);
    List<MemoryHit> dense = index.dense(q, vec(0.6f, 0.8f), 5);

    // the 5 best of 32 equal scores: the task item, then project keys k00..k03
    assertThat(keys(sparse)).containsExactly("zz", "k00", "k01", "k02", "k03");
    assertThat(keys(dense)).containsExactly("zz", "k00", "k01", "k02", "k03");
    assertThat(sparse).extracting(MemoryHit::sparseRank).containsExactly(1, 2, 3, 4, 5);
    assertThat(dense).extracting(MemoryHit::denseRank).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void searches_sameDataSameOrder_giveIdenticalHits() {
    List<List<MemoryHit>> runs = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      LuceneSearchIndex index = memory();
      Corpus corpus = load(index, 1500);
      Corpus.Query q = corpus.query(1);
      MemoryQuery query = MemoryQuery.of(q.text(), P);
      runs.add(Fusion.rrf().fuse(index.dense(query, q.vector(), 40), index.sparse(query, 40), 10));
    }
    assertThat(runs.get(1)).isEqualTo(runs.get(0));
  }

  @Test
  void search_afterPutFromAnotherThread_seesIt() throws Exception {
    LuceneSearchIndex index = memory();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int thread = t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    String word = "w" + thread + "x" + i;
                    index.upsert(item(P, word, "common " + word), vec(1, thread, i));
                    // each put is visible to the next search, whatever the other thread does
                    assertThat(keys(index.sparse(MemoryQuery.of(word, P), 1)))
                        .containsExactly(word);
                  }
                  return null;
                }));
      }
      for (Future<?> w : writers) w.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(index.size()).isEqualTo(400);
    assertThat(index.dense(MemoryQuery.of("q", P), vec(1, 0, 0), 1000)).hasSize(400);
  }

  @Test
  void upsert_sameKey_replacesTheItem() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "k", "old apples"), vec(1, 0));
    index.upsert(item(P, "k", "new pears"), vec(0, 1));

    assertThat(index.size()).isEqualTo(1);
    assertThat(index.sparse(MemoryQuery.of("apples", P), 10)).isEmpty();
    assertThat(index.sparse(MemoryQuery.of("pears", P), 10))
        .extracting(h -> h.item().text())
        .containsExactly("new pears");
    assertThat(index.dense(MemoryQuery.of("q", P), vec(0, 1), 10).get(0).denseScore())
        .isEqualTo(1.0);
  }

  @Test
  void delete_removesTheItemOnlyFromItsSpace() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "k", "apples"), vec(1, 0));
    index.upsert(item(MemorySpace.global(), "k", "apples"), vec(1, 0));

    index.delete(P, "k");
    index.delete(P, "missing");

    assertThat(index.size()).isEqualTo(1);
    assertThat(index.sparse(MemoryQuery.of("apples", P), 10)).isEmpty();
    assertThat(index.dense(MemoryQuery.of("apples", P), vec(1, 0), 10)).isEmpty();
    assertThat(index.sparse(MemoryQuery.of("apples", MemorySpace.global()), 10)).hasSize(1);
  }

  @Test
  void open_afterCloseOnDisk_keepsItems(@TempDir Path dir) {
    MemoryItem kept =
        new MemoryItem(
            P,
            "k",
            "durable text",
            JsonNodeFactory.instance.objectNode().put("a", "b"),
            List.of("t"),
            T,
            T);
    try (LuceneSearchIndex index = LuceneSearchIndex.open(dir)) {
      index.upsert(kept, vec(0.6f, 0.8f));
      index.upsert(item(P, "gone", "deleted text"), vec(1, 0));
      index.delete(P, "gone");
      index.commit(3);
    }

    try (LuceneSearchIndex index = LuceneSearchIndex.open(dir)) {
      assertThat(index.size()).isEqualTo(1);
      assertThat(index.sparse(MemoryQuery.of("durable", P), 10).get(0).item()).isEqualTo(kept);
      assertThat(index.dense(MemoryQuery.of("q", P), vec(0.6f, 0.8f), 10).get(0).item())
          .isEqualTo(kept);
    }
  }

  @Test
  void committedSeq_isTheLastCommitsLabelAcrossReopens(@TempDir Path dir) {
    try (LuceneSearchIndex index = LuceneSearchIndex.open(dir)) {
      assertThat(index.committedSeq()).isEqualTo(SearchIndex.NO_SEQ);
      index.upsert(item(P, "a", "first"), null);
      index.commit(1);
      assertThat(index.committedSeq()).isEqualTo(1);
    }
    try (LuceneSearchIndex index = LuceneSearchIndex.open(dir)) {
      assertThat(index.committedSeq()).isEqualTo(1);
      index.commit(2); // a new label without changes is a commit too
    }
    try (LuceneSearchIndex index = LuceneSearchIndex.open(dir)) {
      assertThat(index.committedSeq()).isEqualTo(2);
      index.upsert(item(P, "b", "second"), null); // committed by close, under the last label
    }
    try (LuceneSearchIndex index = LuceneSearchIndex.open(dir)) {
      assertThat(index.committedSeq()).isEqualTo(2);
      assertThat(index.size()).isEqualTo(2);
      assertThatThrownBy(() -> index.commit(-1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("seq must be at least 0, got -1");
    }
  }

  @Test
  void open_directoryHeldByAnotherIndex_saysToCloseIt(@TempDir Path dir) {
    try (LuceneSearchIndex first = LuceneSearchIndex.open(dir)) {
      assertThatThrownBy(() -> LuceneSearchIndex.open(dir))
          .isInstanceOf(MemoryException.class)
          .hasMessage(dir + ": the search index is open elsewhere (close the other store first)");
      assertThat(first.size()).isZero();
    }
  }

  @Test
  void dense_queryOfOtherDimension_isRejectedWithWhatToDo() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "k", "t"), vec(1, 0, 0));

    assertThatThrownBy(() -> index.dense(MemoryQuery.of("q", P), vec(1, 0), 10))
        .isInstanceOf(MemoryException.class)
        .hasMessage(
            "in-memory search index: the query vector has 2 dimensions, the indexed vectors 3"
                + " (embed queries with the model the items were embedded with)");
  }

  @Test
  void upsert_vectorOfOtherDimension_isRejectedWithWhatToDo() {
    LuceneSearchIndex index = memory();
    index.upsert(item(P, "k", "t"), vec(1, 0, 0));

    assertThatThrownBy(() -> index.upsert(item(P, "k2", "t"), vec(1, 0)))
        .isInstanceOf(MemoryException.class)
        .hasMessageStartingWith("in-memory search index: cannot index item 'k2': ")
        .hasMessageEndingWith(
            " (vectors of one index must come from one model; rebuild the index after changing"
                + " the embedder)");
  }

  @Test
  void upsert_zeroVector_isRejected() {
    LuceneSearchIndex index = memory();
    assertThatThrownBy(() -> index.upsert(item(P, "k", "t"), vec(0, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the item's vector is all zeros (no direction)");
  }

  @Test
  void dense_emptyIndex_noHits() {
    assertThat(memory().dense(MemoryQuery.of("q", P), vec(1, 0), 10)).isEmpty();
  }

  /**
   * Recall@10 of the index's hybrid search (HNSW dense + BM25, RRF) against the exact one
   * (brute-force cosine over every vector + the same BM25, RRF), over queries of every topic.
   */
  @Test
  void hybrid_recallAt10AgainstExactSearch_atLeast95Percent() {
    LuceneSearchIndex index = memory();
    Corpus corpus = new Corpus(11, 5000, 50, 128, P);
    for (int i = 0; i < corpus.items.size(); i++)
      index.upsert(corpus.items.get(i), corpus.vectors.get(i));
    int k = 10;
    int n = k * MemoryQuery.DEFAULT_RERANK_FACTOR;

    int found = 0;
    int wanted = 0;
    for (int qi = 0; qi < 100; qi++) {
      Corpus.Query q = corpus.query(qi % corpus.topics());
      MemoryQuery query = MemoryQuery.of(q.text(), P).withK(k);
      List<MemoryHit> sparse = index.sparse(query, n);
      List<MemoryHit> hybrid = Fusion.rrf().fuse(index.dense(query, q.vector(), n), sparse, k);
      List<MemoryHit> exact = Fusion.rrf().fuse(exactDense(corpus, q.vector(), n), sparse, k);

      Set<String> exactKeys = new HashSet<>(keys(exact));
      for (MemoryHit h : hybrid) if (exactKeys.contains(h.item().key())) found++;
      wanted += exact.size();
      assertThat(sparse.get(0).sparseScore()).isGreaterThan(1.0); // BM25 is meaningful here
    }
    double recall = (double) found / wanted;
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  private static List<MemoryHit> exactDense(Corpus corpus, float[] query, int n) {
    float[] q = Corpus.unit(query);
    List<MemoryHit> all = new ArrayList<>();
    for (int i = 0; i < corpus.items.size(); i++) {
      float[] v = Corpus.unit(corpus.vectors.get(i));
      double dot = 0;
      for (int d = 0; d < v.length; d++) dot += (double) v[d] * q[d];
      all.add(new MemoryHit(corpus.items.get(i), dot, dot, null, null, null));
    }
    all.sort(Fusion.ORDER);
    return all.subList(0, n);
  }
}
