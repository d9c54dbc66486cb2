package dev.agentrt.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * For a {@link RunLog} that defers the steps appended with {@link RunLog#appendDeferrable} (see
 * {@link AbstractRunLog}): holds them until the log's next write, and orders the log's writes as
 * that method requires. A write that carries no held step runs concurrently with the others that
 * carry none; a write that carries some runs alone (it waits for the writes under way, and the
 * writes after it wait for it), so that a step appended after a held one never commits before it.
 * Thread-safe.
 *
 * <pre>{@code
 * public void appendDeferrable(StepRecord step) { deferred.add(encode(step)); }
 *
 * public void appendStep(StepRecord step, List<CallRecord> withStep) {
 *   Encoded s = encode(step); // first: a value the store cannot hold fails here, nothing taken
 *   deferred.write(held -> inOneTransaction(held, s));
 * }
 * }</pre>
 *
 * @param <S> a held step, as the store encoded it
 */
final class DeferredSteps<S> {
  /** Held shared by a write that carries no held step, exclusively by one that does. */
  private final ReentrantReadWriteLock order = new ReentrantReadWriteLock();

  private final List<S> held = new ArrayList<>(); // guarded by itself
  private volatile boolean any;

  /** Holds {@code step} until the next {@link #write}. */
  void add(S step) {
    synchronized (held) {
      held.add(step);
      any = true;
    }
  }

  /**
   * Runs {@code write}, giving it the held steps (in the order they were added, often none), which
   * it must write in its transaction, before its own rows. They are taken atomically with the
   * write: if it throws, they are gone with it (the run's next owner redoes them), so encode what
   * may be refused before calling this.
   *
   * @return what {@code write} returned
   */
  <T> T write(Function<List<S>, T> write) {
    while (true) {
      if (any) {
        order.writeLock().lock();
        try {
          return write.apply(take());
        } finally {
          order.writeLock().unlock();
        }
      }
      order.readLock().lock();
      try {
        // a step added after the check above waits for the next write; none is taken from here
        if (!any) return write.apply(List.of());
      } finally {
        order.readLock().unlock();
      }
    }
  }

  private List<S> take() {
    synchronized (held) {
      List<S> taken = List.copyOf(held);
      held.clear();
      any = false;
      return taken;
    }
  }
}
