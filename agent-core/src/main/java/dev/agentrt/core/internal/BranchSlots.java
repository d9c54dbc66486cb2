package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.SchedulerSpec;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The slots of one run's {@code scheduler.max_parallel_branches}: a branch or split item takes one
 * while it executes. A thread that forks gives its own slot back while it waits for its children
 * and takes one again after the join, so nested forks never wait on a slot their parent holds.
 *
 * <p>A thread holds at most one slot at a time; which thread holds one is kept in a thread local (a
 * fork saturating the platform-thread pool runs a child on the forking thread, strictly nested).
 */
final class BranchSlots {
  private final Semaphore permits;
  private final int limit;
  private final ThreadLocal<Boolean> held = new ThreadLocal<>();

  private BranchSlots(int limit) {
    this.limit = limit;
    this.permits = new Semaphore(limit, true);
  }

  /** The slots of a run under {@code scheduler}; null when branches fan out without limit. */
  static @Nullable BranchSlots of(@Nullable SchedulerSpec scheduler) {
    Integer max = scheduler == null ? null : scheduler.maxParallelBranches();
    return max == null ? null : new BranchSlots(max);
  }

  /** The most branches and split items that execute at once. */
  int limit() {
    return limit;
  }

  /**
   * Takes a slot for a child about to walk {@code scope}, waiting for one to be free.
   *
   * @return false, without a slot, if the scope was cancelled or the run stopped (the walk then
   *     ends at once)
   */
  boolean acquire(Scope scope) {
    while (true) {
      if (scope.cancelled()) return false;
      try {
        permits.acquire();
        held.set(Boolean.TRUE);
        return true;
      } catch (InterruptedException e) {
        if (scope.cancelled()) {
          Thread.currentThread().interrupt();
          return false;
        }
        // an interrupt not meant for this run: keep waiting
      }
    }
  }

  /** Gives back the calling thread's slot, if it holds one. */
  void release() {
    if (held.get() != null) {
      held.remove();
      permits.release();
    }
  }

  /**
   * Gives back the calling thread's slot before it waits for its children.
   *
   * @return whether it held one (to take again with {@link #acquire} after the join)
   */
  boolean suspend() {
    if (held.get() == null) return false;
    release();
    return true;
  }
}
