package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.manifest.MemorySpec;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.core.spi.MemoryStoreProvider;
import dev.agentrt.memory.internal.search.SearchIndex;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both memory backends share: embedding on write (once, in batches), retention ({@code
 * max_items} on every write, {@code max_age} on {@link #prune}), the search index kept in step with
 * every change (and re-fed from storage when it is out of step on open), and search: candidates
 * from the index's sparse and dense rankings, fused by the query's fusion.
 *
 * <p>Storage is the source of truth: a change is made durable in storage first, then mirrored into
 * the index (searches see it at once), which is committed labelled with storage's change number
 * ({@link #seq()}) every {@value #COMMIT_EVERY} changes and on {@link #close()}. A crash before the
 * index commit leaves the index behind storage, with a smaller label; the next open sees the labels
 * differ and rebuilds the index from storage (vectors as stored, nothing re-embedded). An index
 * commit per change would cost a Lucene commit (segment flush and fsync) per put, which measured 10
 * to 20 puts a second here against 300 to 1900 without it.
 *
 * <p>Subclasses keep the items durably; every durable operation is called under this object's lock.
 */
abstract class IndexedStore implements MemoryStore {
  private static final Logger log = LoggerFactory.getLogger(IndexedStore.class);

  /**
   * How many changes the index takes between its commits. A crash in between costs a rebuild from
   * storage on the next open, never a lost or stale item.
   */
  static final int COMMIT_EVERY = 256;

  /** How many texts are embedded in one call. */
  static final int EMBED_BATCH = 64;

  private final String where;
  private final Map<MemoryScope, MemorySpec.ScopeSpec> scopes;
  private final @Nullable Embedder embedder;
  private final Clock clock;
  private final Map<String, Integer> models = new TreeMap<>();
  private @Nullable SearchIndex index;
  private @Nullable SearchIndexFactory indexFactory;
  private @Nullable Path indexDir;

  /** The change number of storage the index holds every change up to (not yet committed maybe). */
  private long indexedSeq;

  /** Changes mirrored into the index since its last commit. */
  private int uncommitted;

  private boolean closed;

  /**
   * @param where how messages name this store ({@code memory store var/agentrt/runs.db})
   */
  IndexedStore(String where, MemoryStoreProvider.Setup setup) {
    this.where = where;
    this.scopes = Map.copyOf(setup.scopes());
    this.embedder = setup.embedder();
    this.clock = setup.clock();
  }

  // ---- durable storage, called under the lock ----

  /** The item under {@code key}, if any. */
  abstract @Nullable Stored read(MemorySpace space, String key);

  /**
   * Writes {@code items} (all of {@code space}, keys distinct) and deletes the oldest items of the
   * space beyond {@code maxItems} (by updated time, ties by key), all or nothing.
   *
   * @return the items deleted by retention
   */
  abstract List<Gone> upsert(MemorySpace space, List<Stored> items, @Nullable Long maxItems);

  /** Deletes the item; returns whether there was one. */
  abstract boolean erase(MemorySpace space, String key);

  /**
   * Deletes the items of {@code scope} updated before {@code cutoff} (if not null), then the oldest
   * beyond {@code maxItems} in each space of the scope (if not null).
   */
  abstract List<Gone> prune(MemoryScope scope, @Nullable Instant cutoff, @Nullable Long maxItems);

  /** Every item, in a stable order. */
  abstract List<Stored> all();

  /** How many items there are. */
  abstract int count();

  /**
   * The number of the last change storage holds: 0 for new storage, then one more (at least) with
   * each write, delete or prune that changed something, made durable atomically with the change
   * (never counting back, also across reopens).
   */
  abstract long seq();

  /** How many items have vectors of each {@link Stored#modelKey()}. */
  abstract Map<String, Integer> modelCounts();

  /** Releases files and connections. */
  abstract void closeStorage();

  // ---- shared behaviour ----

  /**
   * Opens the index and re-feeds it from storage (vectors as stored, nothing re-embedded) when its
   * last commit's label differs from storage's change number, or its size from the item count. Call
   * once, from the subclass's factory, after storage is open.
   */
  final void openIndex(SearchIndexFactory factory, Path dir) {
    this.indexFactory = factory;
    this.indexDir = dir;
    SearchIndex idx = factory.open(dir, false);
    long seq = seq();
    int count = count();
    if (idx.committedSeq() != seq || idx.size() != count) {
      log.info(
          "{}: search index holds change {} ({} items), storage change {} ({} items); rebuilding"
              + " it",
          where,
          idx.committedSeq(),
          idx.size(),
          seq,
          count);
      idx.close();
      idx = rebuilt(factory, dir, seq);
    }
    models.putAll(modelCounts());
    this.indexedSeq = seq;
    this.index = idx;
  }

  /** A new index in {@code dir} fed every stored item, committed with {@code seq}. */
  private SearchIndex rebuilt(SearchIndexFactory factory, Path dir, long seq) {
    SearchIndex idx = factory.open(dir, true);
    try {
      for (Stored s : all()) idx.upsert(s.item(), s.vector());
      idx.commit(seq);
      return idx;
    } catch (RuntimeException e) {
      idx.close();
      throw e;
    }
  }

  /**
   * Notes a change mirrored completely (storage's number now describes what the index holds) and
   * commits the index, labelled with it, every {@value #COMMIT_EVERY} changes.
   */
  private void mirrored(SearchIndex idx) {
    indexedSeq = seq();
    if (++uncommitted >= COMMIT_EVERY) commit(idx);
  }

  private void commit(SearchIndex idx) {
    idx.commit(indexedSeq);
    uncommitted = 0;
  }

  /**
   * After a change failed: when storage changed nevertheless (its number moved) the index may miss
   * some of it, so it is rebuilt now. If that fails too, the index keeps its last label (it is
   * never committed with a later one before it is rebuilt), so the next open rebuilds it.
   */
  private void failed(RuntimeException cause) {
    long seq = seq();
    if (seq == indexedSeq || index == null || indexFactory == null || indexDir == null) return;
    log.warn(
        "{}: storage holds change {} but the search index could not follow ({}); rebuilding it",
        where,
        seq,
        cause.toString());
    SearchIndex old = index;
    index = null;
    try {
      old.close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    try {
      index = rebuilt(indexFactory, indexDir, seq);
      indexedSeq = seq;
      uncommitted = 0;
      models.clear();
      models.putAll(modelCounts());
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      log.error("{}: cannot rebuild the search index; reopen the store", where, e);
    }
  }

  private SearchIndex index() {
    if (closed) throw new MemoryException(where + ": closed");
    SearchIndex idx = index;
    if (idx == null)
      throw new MemoryException(
          where
              + ": the search index could not be rebuilt after a failed write (see the log);"
              + " close and reopen the store");
    return idx;
  }

  private MemorySpec.ScopeSpec scope(MemorySpace space) {
    MemorySpec.ScopeSpec s = scopes.get(space.scope());
    if (s == null)
      throw new MemoryException(
          where + ": does not keep scope '" + space.scope().configName() + "'");
    return s;
  }

  private static @Nullable Long maxItems(MemorySpec.ScopeSpec s) {
    return s.retention() == null ? null : s.retention().maxItems();
  }

  @Override
  public MemoryItem put(MemorySpace space, MemoryWrite write) {
    return putAll(space, List.of(write)).get(0);
  }

  /**
   * Writes many items of one space at once: their texts are embedded in batches of {@value
   * #EMBED_BATCH}, and all are stored in one transaction (or one append). A key written twice keeps
   * its last write.
   *
   * @return the items as stored, in the order of {@code writes}
   */
  @Override
  public List<MemoryItem> putAll(MemorySpace space, List<MemoryWrite> writes) {
    MemorySpec.ScopeSpec spec = scope(space);
    if (writes.isEmpty()) return List.of();
    List<float @Nullable []> vectors = embed(writes);
    String model = embedder == null ? null : embedder.model();
    synchronized (this) {
      SearchIndex idx = index();
      try {
        return putAll(idx, space, spec, writes, vectors, model);
      } catch (RuntimeException e) {
        failed(e);
        throw e;
      }
    }
  }

  /** {@link #putAll(MemorySpace, List)} under the lock: storage first, then the index. */
  private List<MemoryItem> putAll(
      SearchIndex idx,
      MemorySpace space,
      MemorySpec.ScopeSpec spec,
      List<MemoryWrite> writes,
      List<float @Nullable []> vectors,
      @Nullable String model) {
    Instant now = clock.instant();
    Map<String, Stored> byKey = new LinkedHashMap<>();
    List<MemoryItem> out = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      MemoryWrite w = writes.get(i);
      Stored earlier = byKey.containsKey(w.key()) ? byKey.get(w.key()) : read(space, w.key());
      Instant created = earlier == null ? now : earlier.item().created();
      MemoryItem item =
          new MemoryItem(space, w.key(), w.text(), w.metadata(), w.tags(), created, now);
      byKey.remove(w.key());
      byKey.put(w.key(), new Stored(item, vectors.get(i), model));
      out.add(item);
    }
    Map<String, @Nullable String> replaced = new LinkedHashMap<>();
    for (String key : byKey.keySet()) {
      Stored old = read(space, key);
      if (old != null) replaced.put(key, old.modelKey());
    }
    List<Stored> items = List.copyOf(byKey.values());
    List<Gone> evicted = upsert(space, items, maxItems(spec));
    replaced.values().forEach(this::forget);
    for (Stored s : items) {
      remember(s.modelKey());
      idx.upsert(s.item(), s.vector());
    }
    for (Gone g : evicted) {
      forget(g.modelKey());
      idx.delete(g.space(), g.key());
    }
    mirrored(idx);
    return out;
  }

  private List<float @Nullable []> embed(List<MemoryWrite> writes) {
    List<float @Nullable []> out = new ArrayList<>(writes.size());
    if (embedder == null) {
      for (int i = 0; i < writes.size(); i++) out.add(null);
      return out;
    }
    for (int from = 0; from < writes.size(); from += EMBED_BATCH) {
      List<String> texts = new ArrayList<>();
      for (MemoryWrite w : writes.subList(from, Math.min(writes.size(), from + EMBED_BATCH)))
        texts.add(w.text());
      List<float[]> vs = embedder.embed(texts);
      if (vs.size() != texts.size())
        throw new MemoryException(
            where
                + ": embedder '"
                + embedder.model()
                + "' returned "
                + vs.size()
                + " vectors for "
                + texts.size()
                + " texts");
      for (float[] v : vs) {
        if (v.length != embedder.dimension())
          throw new MemoryException(
              where
                  + ": embedder '"
                  + embedder.model()
                  + "' returned a vector of dimension "
                  + v.length
                  + ", not its declared "
                  + embedder.dimension());
        out.add(v);
      }
    }
    return out;
  }

  private void remember(@Nullable String modelKey) {
    if (modelKey != null) models.merge(modelKey, 1, Integer::sum);
  }

  private void forget(@Nullable String modelKey) {
    if (modelKey != null) models.computeIfPresent(modelKey, (k, n) -> n <= 1 ? null : n - 1);
  }

  @Override
  public synchronized Optional<MemoryItem> get(MemorySpace space, String key) {
    scope(space);
    index();
    Stored s = read(space, key);
    return s == null ? Optional.empty() : Optional.of(s.item());
  }

  @Override
  public synchronized boolean delete(MemorySpace space, String key) {
    scope(space);
    SearchIndex idx = index();
    Stored old = read(space, key);
    if (old == null) return false;
    try {
      erase(space, key);
      forget(old.modelKey());
      idx.delete(space, key);
      mirrored(idx);
    } catch (RuntimeException e) {
      failed(e);
      throw e;
    }
    return true;
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    for (MemorySpace s : query.spaces()) scope(s);
    SearchMode mode = query.mode();
    if (mode == null) mode = embedder != null ? SearchMode.HYBRID : SearchMode.SPARSE;
    if (mode != SearchMode.SPARSE && embedder == null) throw noEmbedder(mode);
    int n = (int) Math.min(MemoryQuery.MAX_K, (long) query.k() * query.rerankFactor());
    float[] vector = null;
    if (mode != SearchMode.SPARSE) {
      Embedder e = embedder;
      synchronized (this) {
        checkModels(e);
      }
      vector = e.embed(query.text());
    }
    List<MemoryHit> sparse = List.of();
    List<MemoryHit> dense = List.of();
    synchronized (this) {
      SearchIndex idx = index();
      if (mode == SearchMode.HYBRID && vector != null) {
        SearchIndex.Rankings both = idx.hybrid(query, vector, n);
        sparse = both.sparse();
        dense = both.dense();
      } else if (mode == SearchMode.SPARSE) {
        sparse = idx.sparse(query, n);
      } else if (vector != null) {
        dense = idx.dense(query, vector, n);
      }
    }
    return switch (mode) {
      case SPARSE -> cut(sparse, query.k());
      case DENSE -> cut(dense, query.k());
      case HYBRID -> query.fusion().fuse(dense, sparse, query.k());
    };
  }

  private static List<MemoryHit> cut(List<MemoryHit> hits, int k) {
    return hits.size() > k ? List.copyOf(hits.subList(0, k)) : List.copyOf(hits);
  }

  @Override
  public int reembed() {
    if (embedder == null) throw noEmbedder(SearchMode.DENSE);
    String current = Stored.modelKey(embedder.model(), embedder.dimension());
    List<Stored> stale;
    synchronized (this) {
      index(); // fails once closed
      stale = new ArrayList<>();
      for (Stored s : all()) if (!current.equals(s.modelKey())) stale.add(s);
    }
    // embedded outside the lock, in batches; an item changed meanwhile keeps its newer write
    Map<MemorySpace, List<Stored>> bySpace = new LinkedHashMap<>();
    for (int from = 0; from < stale.size(); from += EMBED_BATCH) {
      List<Stored> batch = stale.subList(from, Math.min(stale.size(), from + EMBED_BATCH));
      List<MemoryWrite> texts = new ArrayList<>(batch.size());
      for (Stored s : batch) texts.add(MemoryWrite.of(s.item().key(), s.item().text()));
      List<float @Nullable []> vectors = embed(texts);
      for (int i = 0; i < batch.size(); i++) {
        Stored s = batch.get(i);
        bySpace
            .computeIfAbsent(s.item().space(), x -> new ArrayList<>())
            .add(new Stored(s.item(), vectors.get(i), embedder.model()));
      }
    }
    int n = 0;
    synchronized (this) {
      SearchIndex idx = index();
      try {
        for (Map.Entry<MemorySpace, List<Stored>> e : bySpace.entrySet()) {
          List<Stored> fresh = new ArrayList<>();
          for (Stored s : e.getValue()) {
            Stored now = read(e.getKey(), s.item().key());
            if (now != null && now.item().equals(s.item())) fresh.add(s);
          }
          if (fresh.isEmpty()) continue;
          for (Stored s : fresh) forget(read(e.getKey(), s.item().key()).modelKey());
          upsert(e.getKey(), fresh, null);
          for (Stored s : fresh) {
            remember(s.modelKey());
            idx.upsert(s.item(), s.vector());
          }
          mirrored(idx);
          n += fresh.size();
        }
      } catch (RuntimeException e) {
        failed(e);
        throw e;
      }
    }
    return n;
  }

  /** Refuses to rank vectors of another model (or dimension) than the embedder's. */
  private void checkModels(Embedder e) {
    String current = Stored.modelKey(e.model(), e.dimension());
    List<String> other =
        models.keySet().stream().filter(m -> !m.equals(current)).collect(Collectors.toList());
    if (other.isEmpty()) return;
    throw new MemoryException(
        where
            + ": stored vectors come from model "
            + other.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", "))
            + " (model/dimension), the embedder is '"
            + current
            + "'; a dense search would compare vectors of two models (re-embed the items with"
            + " `agentrt memory reembed` or MemoryStore.reembed(), or use the embedder they were stored with; a sparse"
            + " search still works)");
  }

  /** The error of a search that needs an embedder the store does not have. */
  static MemoryException noEmbedder(SearchMode mode) {
    return new MemoryException(
        "a "
            + mode.configName()
            + " memory search needs an embedding model, and the runtime has none (add"
            + " dependency dev.agentrt:agent-embeddings, or give one with"
            + " AgentRuntime.builder().embedder(...); or search with mode sparse)");
  }

  @Override
  public synchronized int prune() {
    SearchIndex idx = index();
    Instant now = clock.instant();
    int n = 0;
    try {
      for (Map.Entry<MemoryScope, MemorySpec.ScopeSpec> e : new TreeMap<>(scopes).entrySet()) {
        MemorySpec.RetentionSpec r = e.getValue().retention();
        if (r == null) continue;
        Duration age = r.maxAge();
        List<Gone> gone = prune(e.getKey(), age == null ? null : now.minus(age), r.maxItems());
        for (Gone g : gone) {
          forget(g.modelKey());
          idx.delete(g.space(), g.key());
        }
        n += gone.size();
      }
      if (seq() != indexedSeq) mirrored(idx);
    } catch (RuntimeException e) {
      failed(e);
      throw e;
    }
    return n;
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    SearchIndex idx = index;
    try {
      if (idx != null) {
        try {
          if (uncommitted > 0) commit(idx);
        } finally {
          idx.close();
        }
      }
    } finally {
      closeStorage();
    }
  }
}
