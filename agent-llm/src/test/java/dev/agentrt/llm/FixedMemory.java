package dev.agentrt.llm;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.memory.MemoryWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A memory that answers every search with fixed hits (per scope, with scores), best first, at most
 * {@code k}, and keeps the queries it was asked; the real backends live in agent-memory.
 */
final class FixedMemory implements MemoryStore {
  record Fixed(MemoryScope scope, String key, double score, String text) {}

  final List<Fixed> items = new CopyOnWriteArrayList<>();
  final List<MemoryQuery> searches = new CopyOnWriteArrayList<>();

  FixedMemory hit(MemoryScope scope, String key, double score, String text) {
    items.add(new Fixed(scope, key, score, text));
    return this;
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    searches.add(query);
    List<MemoryHit> hits = new ArrayList<>();
    for (Fixed f : items) {
      for (MemorySpace space : query.spaces()) {
        if (space.scope() != f.scope()) continue;
        Instant t = Instant.EPOCH;
        hits.add(
            new MemoryHit(
                new MemoryItem(space, f.key(), f.text(), null, List.of(), t, t),
                f.score(),
                null,
                f.score(),
                null,
                null));
      }
    }
    hits.sort(
        Comparator.comparingDouble(MemoryHit::fusedScore)
            .reversed()
            .thenComparing(h -> h.item().key()));
    return List.copyOf(hits.subList(0, Math.min(query.k(), hits.size())));
  }

  @Override
  public MemoryItem put(MemorySpace space, MemoryWrite write) {
    throw new UnsupportedOperationException("FixedMemory is read-only");
  }

  @Override
  public Optional<MemoryItem> get(MemorySpace space, String key) {
    return Optional.empty();
  }

  @Override
  public boolean delete(MemorySpace space, String key) {
    return false;
  }

  @Override
  public int prune() {
    return 0;
  }

  @Override
  public void close() {}
}
