package dev.agentrt.memory.internal.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.memory.Fusion;
import dev.agentrt.core.memory.MemoryFilter;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.memory.internal.search.SearchIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An exact, brute-force {@link SearchIndex} in memory, for tests of the backends' search wiring:
 * the sparse score is the number of distinct query words in the text, the dense score the exact
 * cosine similarity. Counts its searches.
 */
final class ScanSearchIndex implements SearchIndex {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private final Map<String, Entry> entries = new TreeMap<>();
  final AtomicInteger searches = new AtomicInteger();

  private record Entry(MemoryItem item, float @Nullable [] vector) {}

  /** A factory of scan indexes that remembers the ones it opened. */
  static final class Factory implements SearchIndexFactory {
    final List<ScanSearchIndex> opened = new CopyOnWriteArrayList<>();

    @Override
    public SearchIndex open(java.nio.file.Path dir, boolean empty) {
      ScanSearchIndex i = new ScanSearchIndex();
      opened.add(i);
      return i;
    }

    int searches() {
      return opened.stream().mapToInt(i -> i.searches.get()).sum();
    }
  }

  private static String id(MemorySpace space, String key) {
    return space.scope() + "\u0000" + space.owner() + "\u0000" + key;
  }

  @Override
  public synchronized void upsert(MemoryItem item, float @Nullable [] vector) {
    entries.put(id(item.space(), item.key()), new Entry(item, vector));
  }

  @Override
  public synchronized void delete(MemorySpace space, String key) {
    entries.remove(id(space, key));
  }

  static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) out.add(m.group());
    return out;
  }

  @Override
  public synchronized List<MemoryHit> sparse(MemoryQuery query, int n) {
    searches.incrementAndGet();
    Set<String> q = words(query.text());
    List<MemoryHit> scored = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!passes(e.item(), query)) continue;
      Set<String> w = words(e.item().text());
      w.retainAll(q);
      if (w.isEmpty()) continue;
      double s = w.size();
      scored.add(new MemoryHit(e.item(), s, null, s, null, null));
    }
    scored.sort(Fusion.ORDER);
    List<MemoryHit> out = new ArrayList<>();
    for (int i = 0; i < scored.size() && i < n; i++) {
      MemoryHit h = scored.get(i);
      out.add(new MemoryHit(h.item(), h.fusedScore(), null, h.sparseScore(), null, i + 1));
    }
    return out;
  }

  @Override
  public synchronized List<MemoryHit> dense(MemoryQuery query, float[] vector, int n) {
    searches.incrementAndGet();
    List<MemoryHit> scored = new ArrayList<>();
    for (Entry e : entries.values()) {
      float[] v = e.vector();
      if (v == null || v.length != vector.length || !passes(e.item(), query)) continue;
      double s = cosine(vector, v);
      scored.add(new MemoryHit(e.item(), s, s, null, null, null));
    }
    scored.sort(Fusion.ORDER);
    List<MemoryHit> out = new ArrayList<>();
    for (int i = 0; i < scored.size() && i < n; i++) {
      MemoryHit h = scored.get(i);
      out.add(new MemoryHit(h.item(), h.fusedScore(), h.denseScore(), null, i + 1, null));
    }
    return out;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static boolean passes(MemoryItem item, MemoryQuery query) {
    if (!query.spaces().contains(item.space())) return false;
    MemoryFilter f = query.filter();
    if (!item.tags().containsAll(f.tags())) return false;
    for (Map.Entry<String, Set<String>> e : f.metadata().entrySet()) {
      JsonNode v = item.metadata().get(e.getKey());
      if (v == null || !v.isValueNode() || v.isNull()) return false;
      String text = v.isTextual() ? v.asText() : v.toString();
      if (!e.getValue().contains(text)) return false;
    }
    return true;
  }

  @Override
  public synchronized int size() {
    return entries.size();
  }

  private volatile long committed = NO_SEQ;

  @Override
  public void commit(long seq) {
    committed = seq;
  }

  @Override
  public long committedSeq() {
    return committed;
  }

  @Override
  public void close() {}

  /** Items in id order, for assertions. */
  synchronized List<MemoryItem> items() {
    List<MemoryItem> out = new ArrayList<>();
    entries.values().stream()
        .sorted(Comparator.comparing(e -> id(e.item().space(), e.item().key())))
        .forEach(e -> out.add(e.item()));
    return out;
  }
}
