package dev.agentrt.memory.internal.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryFilter;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SearchIndex} in one Lucene index: BM25 over the analyzed text (English: standard
 * tokenizer, lower case, English stop words, Porter stemming) and an HNSW graph over the vectors
 * (dot product of unit vectors, that is cosine), with the items themselves in binary doc values.
 *
 * <p>Spaces, tags and top-level metadata fields are keyword fields; {@link MemoryQuery#spaces()}
 * and {@link MemoryQuery#filter()} become filter queries that both rankings apply while they search
 * (for the HNSW graph: the graph walk only accepts passing documents, and Lucene switches to an
 * exact scan when few pass), so a filtered search finds {@code n} hits when that many pass. A
 * metadata field is filterable when its value is a string (by its value), a number or a boolean (by
 * its JSON text); arrays, objects and {@code null} are not indexed for filtering.
 *
 * <p>Order: hits are ordered by score, ties by scope, owner and key (as {@code Fusion.ORDER}), not
 * by Lucene's document ids; when the {@code n}-th and the next candidate tie, more candidates are
 * fetched until the tie is resolved, so the set of hits does not depend on document ids either. A
 * dense hit's score is the exact dot product of the stored vector and the query vector, computed in
 * double precision. The same items written in the same order from one thread give the same index:
 * merges run on the writing thread ({@link SerialMergeScheduler}), HNSW graphs are built by one
 * thread with Lucene's fixed seed. Not deterministic: an index written from several threads at once
 * (segment contents depend on the interleaving), and BM25 statistics, which count replaced and
 * deleted items until their segment is merged away.
 *
 * <p>Writes are visible to the next search (the reader is refreshed lazily, on the first search
 * after a write) and durable after {@link #commit(long)}, whose label is kept in the Lucene
 * commit's user data ({@code agentrt.seq}), so it is durable in the same commit as the changes it
 * labels. {@link #close()} commits pending changes too, under the last label given. Thread-safe.
 *
 * <p>Threads: {@link #hybrid} runs the sparse ranking on a small pool the index owns (at most one
 * thread per core, started on demand, ended after {@value #IDLE_SECONDS} s idle and by {@link
 * #close()}) while the calling thread runs the dense one, so a hybrid search takes about as long as
 * the slower ranking rather than both; when every pool thread is busy the caller runs both. Every
 * other operation runs on the calling thread.
 *
 * <p>A filter that every document passes (one space holding the whole index, the common case, and
 * no metadata or tag filter) is left out of both rankings: the BM25 query can then skip documents
 * that cannot enter the top {@code n} (block-max WAND) and the HNSW search needs no bit set of
 * passing documents. The hits are the same.
 */
public final class LuceneSearchIndex implements SearchIndex {
  /** The most dimensions a vector may have (Lucene's default limit is 1024). */
  public static final int MAX_DIMENSIONS = 4096;

  /** Connections per node of the HNSW graph (Lucene's default). */
  static final int MAX_CONNECTIONS = 16;

  /**
   * Candidates kept while inserting into the HNSW graph. Lucene's default is 100; 50 halves the CPU
   * time of a put (graph building is most of it) and kept recall@10 of the dense ranking at 0.998
   * against exact search on 20,000 generated 384-dimensional items (agent-bench README). Searches
   * are unaffected: they keep at least {@code n} candidates. Only new graphs use it, so an index
   * built with another value reads back unchanged.
   */
  static final int BEAM_WIDTH = 50;

  /** The most distinct query terms used by the sparse ranking; later terms are ignored. */
  static final int MAX_QUERY_TERMS = 512;

  private static final String ID = "id";
  private static final String SPACE = "space";
  private static final String TEXT = "text";
  private static final String VECTOR = "vector";
  private static final String TAG = "tag";
  private static final String META = "meta.";

  /** The key of the commit label in the Lucene commit's user data. */
  private static final String SEQ = "agentrt.seq";

  /**
   * The whole item, encoded by {@link #encode}, as binary doc values (random access, no block
   * decompression per hit as stored fields would need).
   */
  private static final String ITEM = "item";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Logger log = LoggerFactory.getLogger(LuceneSearchIndex.class);

  /** How long a thread of the search pool waits for work before it ends. */
  static final int IDLE_SECONDS = 30;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private static final Comparator<Candidate> ORDER =
      Comparator.comparingDouble((Candidate c) -> c.score)
          .reversed()
          .thenComparing(c -> c.item.space().scope())
          .thenComparing(c -> c.item.space().owner())
          .thenComparing(c -> c.item.key());

  private final String where;
  private final Directory directory;
  private final Analyzer analyzer;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final AtomicLong writes = new AtomicLong();
  private final Object refreshLock = new Object();
  private volatile long refreshed;
  private volatile long committedSeq;

  /** Runs the sparse ranking of {@link #hybrid}; when saturated the task runs on the caller. */
  private final ThreadPoolExecutor pool;

  private LuceneSearchIndex(String where, Directory directory) throws IOException {
    this.where = where;
    this.directory = directory;
    this.analyzer = new EnglishAnalyzer();
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setCodec(new Codec())
            .setMergeScheduler(new SerialMergeScheduler())
            .setRAMBufferSizeMB(64)
            .setCommitOnClose(true);
    IndexWriter w;
    try {
      w = new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      analyzer.close();
      throw new MemoryException(
          where + ": the search index is open elsewhere (close the other store first)", e);
    }
    this.writer = w;
    this.committedSeq = seq(w.getLiveCommitData());
    this.searchers = new SearcherManager(writer, new SearcherFactory());
    this.pool = pool();
  }

  private static ThreadPoolExecutor pool() {
    String prefix = "agentrt-memory-search-" + POOLS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, prefix + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // no queue: a task starts at once on an idle or new thread, or runs on the caller
    return new ThreadPoolExecutor(
        0,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        IDLE_SECONDS,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        factory,
        (task, executor) -> task.run());
  }

  /** The label in a commit's user data, or {@link #NO_SEQ}. */
  private static long seq(@Nullable Iterable<Map.Entry<String, String>> userData) {
    if (userData == null) return NO_SEQ;
    for (Map.Entry<String, String> e : userData) {
      if (!e.getKey().equals(SEQ)) continue;
      try {
        return Long.parseLong(e.getValue());
      } catch (NumberFormatException ignored) {
        return NO_SEQ; // not ours: the index is rebuilt
      }
    }
    return NO_SEQ;
  }

  /**
   * The index in {@code dir} (created if absent): items put before the last {@link #commit(long)}
   * or {@link #close()} are there again, and {@link #committedSeq()} is the last commit's label.
   *
   * @throws MemoryException if the directory cannot be opened, or another index holds it
   */
  public static LuceneSearchIndex open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    try {
      return new LuceneSearchIndex(dir.toString(), FSDirectory.open(dir));
    } catch (IOException e) {
      throw new MemoryException(dir + ": cannot open the search index: " + e.getMessage(), e);
    }
  }

  /** An index held in memory, lost on {@link #close()}. */
  public static LuceneSearchIndex inMemory() {
    try {
      return new LuceneSearchIndex("in-memory search index", new ByteBuffersDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void upsert(MemoryItem item, float @Nullable [] vector) {
    Objects.requireNonNull(item, "item");
    Document doc = document(item, vector == null ? null : unit(vector, "the item's vector"));
    try {
      writer.updateDocument(id(item.space(), item.key()), doc);
    } catch (IllegalArgumentException e) {
      throw new MemoryException(
          where
              + ": cannot index item '"
              + item.key()
              + "': "
              + e.getMessage()
              + " (vectors of one index must come from one model; rebuild the index after"
              + " changing the embedder)",
          e);
    } catch (IOException e) {
      throw failed("index item '" + item.key() + "'", e);
    }
    writes.incrementAndGet();
  }

  @Override
  public void delete(MemorySpace space, String key) {
    try {
      writer.deleteDocuments(id(space, key));
    } catch (IOException e) {
      throw failed("delete item '" + key + "'", e);
    }
    writes.incrementAndGet();
  }

  @Override
  public List<MemoryHit> sparse(MemoryQuery query, int n) {
    checkN(n);
    List<String> terms = terms(query.text());
    if (terms.isEmpty()) return List.of();
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : terms) b.add(new TermQuery(new Term(TEXT, t)), Occur.SHOULD);
    BooleanQuery text = b.build();
    return search(
        n,
        (searcher, m) -> {
          Query filter = filter(query, searcher);
          Query q =
              filter == null
                  ? text
                  : new BooleanQuery.Builder()
                      .add(text, Occur.MUST)
                      .add(filter, Occur.FILTER)
                      .build();
          // count no more hits than wanted, so that scoring may skip hopeless documents at once
          return searcher.search(q, new TopScoreDocCollectorManager(m, null, m)).scoreDocs;
        },
        (searcher, sd, item) -> sd.score,
        (c, rank) -> new MemoryHit(c.item, c.score, null, c.score, null, rank));
  }

  @Override
  public List<MemoryHit> dense(MemoryQuery query, float[] vector, int n) {
    checkN(n);
    float[] target = unit(vector, "the query vector");
    return search(
        n,
        (searcher, m) -> {
          FieldInfo info = fieldInfo(searcher);
          if (info == null) return new ScoreDoc[0];
          if (info.getVectorDimension() != target.length)
            throw new MemoryException(
                where
                    + ": the query vector has "
                    + target.length
                    + " dimensions, the indexed vectors "
                    + info.getVectorDimension()
                    + " (embed queries with the model the items were embedded with)");
          Query filter = filter(query, searcher);
          return searcher.search(new KnnFloatVectorQuery(VECTOR, target, m, filter), m).scoreDocs;
        },
        (searcher, sd, item) -> dot(searcher, sd.doc, target),
        (c, rank) -> new MemoryHit(c.item, c.score, c.score, null, rank, null));
  }

  /** Runs the sparse ranking on the pool while this thread runs the dense one. */
  @Override
  public Rankings hybrid(MemoryQuery query, float[] vector, int n) {
    checkN(n);
    FutureTask<List<MemoryHit>> sparse = new FutureTask<>(() -> sparse(query, n));
    pool.execute(sparse);
    List<MemoryHit> dense;
    try {
      dense = dense(query, vector, n);
    } catch (RuntimeException e) {
      sparse.cancel(false);
      throw e;
    }
    return new Rankings(dense, result(sparse));
  }

  /** The task's result, waited for without giving up when interrupted (it is short). */
  private static List<MemoryHit> result(FutureTask<List<MemoryHit>> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) throw r;
          if (cause instanceof Error err) throw err;
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  @Override
  public int size() {
    try {
      IndexSearcher searcher = acquire();
      try {
        return searcher.getIndexReader().numDocs();
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw failed("count items", e);
    }
  }

  @Override
  public synchronized void commit(long seq) {
    if (seq < 0) throw new IllegalArgumentException("seq must be at least 0, got " + seq);
    try {
      // a new label alone makes a new commit too (setLiveCommitData increments the version)
      writer.setLiveCommitData(Map.of(SEQ, Long.toString(seq)).entrySet());
      writer.commit();
    } catch (IOException e) {
      throw failed("commit", e);
    }
    committedSeq = seq;
  }

  @Override
  public long committedSeq() {
    return committedSeq;
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS))
        log.warn("{}: a search still runs 10 s after close", where);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      // searchers first, then the writer (which commits), the analyzer and the directory
      IOUtils.close(searchers, writer, analyzer, directory);
    } catch (IOException e) {
      throw failed("close", e);
    }
  }

  /** The first {@code n} candidates, fetching more while the {@code n}-th ties with the next. */
  private List<MemoryHit> search(int n, Fetch fetch, Score score, Hit hit) {
    try {
      IndexSearcher searcher = acquire();
      try {
        int maxDoc = Math.max(1, searcher.getIndexReader().maxDoc());
        int m = Math.min(n + 1, maxDoc);
        ScoreDoc[] docs = fetch.top(searcher, m);
        while (docs.length == m && m < maxDoc && docs[n - 1].score == docs[m - 1].score) {
          m = (int) Math.min((long) m * 2, maxDoc);
          docs = fetch.top(searcher, m);
        }
        MemoryItem[] items = items(searcher, docs);
        List<Candidate> candidates = new ArrayList<>(docs.length);
        for (int i = 0; i < docs.length; i++) {
          candidates.add(new Candidate(items[i], score.of(searcher, docs[i], items[i])));
        }
        candidates.sort(ORDER);
        List<MemoryHit> hits = new ArrayList<>(Math.min(n, candidates.size()));
        for (int i = 0; i < candidates.size() && i < n; i++) {
          hits.add(hit.of(candidates.get(i), i + 1));
        }
        return List.copyOf(hits);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw failed("search", e);
    }
  }

  /** A searcher that sees every write that completed before this call. */
  private IndexSearcher acquire() throws IOException {
    long w = writes.get();
    if (refreshed < w) {
      synchronized (refreshLock) {
        if (refreshed < w) {
          long upTo = writes.get();
          searchers.maybeRefreshBlocking();
          refreshed = upTo;
        }
      }
    }
    return searchers.acquire();
  }

  private static @Nullable FieldInfo fieldInfo(IndexSearcher searcher) {
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(VECTOR);
      if (info != null && info.hasVectorValues()) return info;
    }
    return null;
  }

  /** The exact dot product of document {@code doc}'s vector with {@code target}. */
  private static double dot(IndexSearcher searcher, int doc, float[] target) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
    int local = doc - leaf.docBase;
    if (values == null || values.advance(local) != local)
      throw new IllegalStateException("document " + doc + " was found by kNN but has no vector");
    float[] v = values.vectorValue();
    double sum = 0;
    for (int i = 0; i < v.length; i++) sum += (double) v[i] * target[i];
    return sum;
  }

  /**
   * The filter of {@code query} in {@code searcher}'s index, or null when every document passes it:
   * no metadata or tag filter, and the queried spaces hold every document (each document is in one
   * space, and a space's document frequency counts deleted documents too, so the sum reaching
   * {@code maxDoc} means no live document is elsewhere).
   */
  private static @Nullable Query filter(MemoryQuery query, IndexSearcher searcher)
      throws IOException {
    MemoryFilter f = query.filter();
    Set<BytesRef> distinct = new LinkedHashSet<>();
    for (MemorySpace s : query.spaces()) distinct.add(new BytesRef(space(s)));
    List<BytesRef> spaces = List.copyOf(distinct);
    if (f.metadata().isEmpty() && f.tags().isEmpty()) {
      long inSpaces = 0;
      for (BytesRef s : spaces) inSpaces += searcher.getIndexReader().docFreq(new Term(SPACE, s));
      if (inSpaces >= searcher.getIndexReader().maxDoc()) return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(
        spaces.size() == 1
            ? new TermQuery(new Term(SPACE, spaces.get(0)))
            : new TermInSetQuery(SPACE, spaces),
        Occur.FILTER);
    for (Map.Entry<String, Set<String>> e : f.metadata().entrySet()) {
      List<BytesRef> values = new ArrayList<>();
      for (String v : e.getValue()) values.add(new BytesRef(v));
      b.add(new TermInSetQuery(META + e.getKey(), values), Occur.FILTER);
    }
    for (String tag : f.tags()) b.add(new TermQuery(new Term(TAG, tag)), Occur.FILTER);
    return b.build();
  }

  /** The distinct analyzed terms of {@code text}, in order of first appearance. */
  List<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && terms.size() < MAX_QUERY_TERMS) terms.add(term.toString());
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(terms);
  }

  private static Document document(MemoryItem item, float @Nullable [] vector) {
    Document doc = new Document();
    doc.add(new StringField(ID, id(item.space(), item.key()).bytes(), Field.Store.NO));
    doc.add(new StringField(SPACE, space(item.space()), Field.Store.NO));
    doc.add(new TextField(TEXT, item.text(), Field.Store.NO));
    if (vector != null)
      doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    for (String tag : item.tags()) doc.add(new StringField(TAG, tag, Field.Store.NO));
    for (Map.Entry<String, JsonNode> e : item.metadata().properties()) {
      String value = filterValue(e.getValue());
      if (value != null) doc.add(new StringField(META + e.getKey(), value, Field.Store.NO));
    }
    doc.add(new BinaryDocValuesField(ITEM, encode(item)));
    return doc;
  }

  /** A metadata value as {@link MemoryFilter} compares it, or null when not filterable. */
  static @Nullable String filterValue(JsonNode value) {
    if (value.isTextual()) return value.textValue();
    if (value.isNumber() || value.isBoolean()) return value.toString();
    return null;
  }

  /** The items of {@code docs}, in the same order. */
  private static MemoryItem[] items(IndexSearcher searcher, ScoreDoc[] docs) throws IOException {
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    // doc values iterate forward only: visit the documents in increasing id
    Arrays.sort(order, Comparator.comparingInt(i -> docs[i].doc));
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    MemoryItem[] items = new MemoryItem[docs.length];
    int leafIndex = -1;
    BinaryDocValues values = null;
    LeafReaderContext leaf = null;
    for (int i : order) {
      int doc = docs[i].doc;
      int l = ReaderUtil.subIndex(doc, leaves);
      if (l != leafIndex) {
        leafIndex = l;
        leaf = leaves.get(l);
        values = DocValues.getBinary(leaf.reader(), ITEM);
      }
      int local = doc - leaf.docBase;
      if (!values.advanceExact(local))
        throw new IllegalStateException("document " + doc + " has no item");
      items[i] = decode(values.binaryValue());
    }
    return items;
  }

  /** The item as bytes: strings as vInt length + UTF-8, instants as epoch second + nano. */
  private static BytesRef encode(MemoryItem item) {
    try {
      ByteBuffersDataOutput out = new ByteBuffersDataOutput();
      out.writeByte((byte) item.space().scope().ordinal());
      out.writeString(item.space().owner());
      out.writeString(item.key());
      out.writeString(item.text());
      out.writeString(item.metadata().isEmpty() ? "" : item.metadata().toString());
      out.writeVInt(item.tags().size());
      for (String t : item.tags()) out.writeString(t);
      out.writeZLong(item.created().getEpochSecond());
      out.writeVInt(item.created().getNano());
      out.writeZLong(item.updated().getEpochSecond());
      out.writeVInt(item.updated().getNano());
      return new BytesRef(out.toArrayCopy());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writes to memory
    }
  }

  private static MemoryItem decode(BytesRef bytes) throws IOException {
    ByteArrayDataInput in = new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
    MemoryScope scope = MemoryScope.values()[in.readByte()];
    String owner = in.readString();
    String key = in.readString();
    String text = in.readString();
    String meta = in.readString();
    ObjectNode metadata;
    try {
      metadata = meta.isEmpty() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(meta);
    } catch (JsonProcessingException e) {
      throw new IOException("stored metadata is not JSON", e);
    }
    int n = in.readVInt();
    List<String> tags = new ArrayList<>(n);
    for (int i = 0; i < n; i++) tags.add(in.readString());
    Instant created = Instant.ofEpochSecond(in.readZLong(), in.readVInt());
    Instant updated = Instant.ofEpochSecond(in.readZLong(), in.readVInt());
    return new MemoryItem(
        new MemorySpace(scope, owner), key, text, metadata, tags, created, updated);
  }

  /** The unique term of an item: scope, owner and key, unambiguous for any owner and key. */
  private static Term id(MemorySpace space, String key) {
    return new Term(ID, space(space) + ":" + key);
  }

  private static String space(MemorySpace space) {
    return space.scope().name() + ":" + space.owner().length() + ":" + space.owner();
  }

  /** A unit-length copy of {@code v}. */
  private static float[] unit(float[] v, String what) {
    Objects.requireNonNull(v, what);
    if (v.length == 0 || v.length > MAX_DIMENSIONS)
      throw new IllegalArgumentException(
          what + " has " + v.length + " dimensions; 1 to " + MAX_DIMENSIONS + " are supported");
    double sum = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) throw new IllegalArgumentException(what + " has a non-finite value");
      sum += (double) x * x;
    }
    if (sum == 0) throw new IllegalArgumentException(what + " is all zeros (no direction)");
    double norm = Math.sqrt(sum);
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / norm);
    return u;
  }

  private static void checkN(int n) {
    if (n < 1) throw new IllegalArgumentException("n must be at least 1, got " + n);
  }

  private MemoryException failed(String what, IOException e) {
    return new MemoryException(where + ": cannot " + what + ": " + e.getMessage(), e);
  }

  /** A found item and its score, before ranks are given. */
  private record Candidate(MemoryItem item, double score) {}

  @FunctionalInterface
  private interface Fetch {
    ScoreDoc[] top(IndexSearcher searcher, int m) throws IOException;
  }

  @FunctionalInterface
  private interface Score {
    double of(IndexSearcher searcher, ScoreDoc doc, MemoryItem item) throws IOException;
  }

  @FunctionalInterface
  private interface Hit {
    MemoryHit of(Candidate c, int rank);
  }

  /** Lucene's codec with HNSW vectors of up to {@link #MAX_DIMENSIONS} dimensions. */
  private static final class Codec extends Lucene912Codec {
    private final KnnVectorsFormat vectors = new Hnsw();

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
      return vectors;
    }
  }

  /**
   * Lucene's HNSW format (16 connections, beam width {@value #BEAM_WIDTH}, one merge thread) under
   * its own name, so the index reads back with the stock format, allowing more dimensions than
   * Lucene's default.
   */
  private static final class Hnsw extends KnnVectorsFormat {
    private final KnnVectorsFormat delegate =
        new Lucene99HnswVectorsFormat(MAX_CONNECTIONS, BEAM_WIDTH);

    Hnsw() {
      super("Lucene99HnswVectorsFormat");
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
      return delegate.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
      return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
      return MAX_DIMENSIONS;
    }
  }
}
