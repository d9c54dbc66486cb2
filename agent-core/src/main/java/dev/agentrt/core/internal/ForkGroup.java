package dev.agentrt.core.internal;

import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A group of parallel branches or split items; cancelling it interrupts them all. */
final class ForkGroup {
  final @Nullable ForkGroup parent;

  /** The threads working for the group; guarded by the run's lock. */
  final Set<Thread> threads = new HashSet<>();

  private final Object lock;
  private volatile boolean cancelled;

  ForkGroup(Object lock, @Nullable ForkGroup parent) {
    this.lock = lock;
    this.parent = parent;
  }

  boolean isCancelled() {
    for (ForkGroup g = this; g != null; g = g.parent) {
      if (g.cancelled) return true;
    }
    return false;
  }

  void cancel() {
    synchronized (lock) {
      cancelled = true;
      for (Thread t : threads) t.interrupt();
    }
  }
}
