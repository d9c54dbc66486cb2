package dev.agentrt.core.memory;

import java.util.List;
import java.util.Optional;

/** A store that refuses every operation with one message. */
final class UnavailableMemory implements MemoryStore {
  private final String why;

  UnavailableMemory(String why) {
    this.why = why;
  }

  @Override
  public MemoryItem put(MemorySpace space, MemoryWrite write) {
    throw new MemoryException(why);
  }

  @Override
  public Optional<MemoryItem> get(MemorySpace space, String key) {
    throw new MemoryException(why);
  }

  @Override
  public boolean delete(MemorySpace space, String key) {
    throw new MemoryException(why);
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    throw new MemoryException(why);
  }

  @Override
  public int prune() {
    throw new MemoryException(why);
  }

  @Override
  public int reembed() {
    throw new MemoryException(why);
  }

  @Override
  public void close() {}
}
