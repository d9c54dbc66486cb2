package dev.agentrt.memory.internal;

import dev.agentrt.core.CheckpointStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's single writer: one connection that applies every write of the store, guarded by a
 * lock. A caller that finds the writer idle (lock free, nothing queued) applies its operation
 * itself in a transaction of its own and commits before it returns: no thread handoff. Under
 * contention callers queue their operation and wait; the writer thread takes everything queued (up
 * to a batch), applies each operation in a savepoint of one transaction and commits once (group
 * commit), then wakes the callers. An operation that throws a {@link RuntimeException} (a lost
 * lease, an unknown run) is rolled back (to its savepoint, in a batch) and fails alone; an SQLite
 * error rolls back the batch, whose operations are then retried one transaction each, so only the
 * operations that cannot commit fail. Either way, an operation is entirely committed or entirely
 * absent.
 */
final class Writer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Writer.class);
  private static final int MAX_BATCH = 512;

  /** One write, applied on the writer thread inside a transaction. */
  interface Op<T> {
    T apply(Tx tx) throws SQLException;
  }

  /** The writer's connection, with prepared statements reused across transactions. */
  static final class Tx {
    final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Tx(Connection connection) {
      this.connection = connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    void exec(String sql) throws SQLException {
      prepare(sql).execute();
    }

    void close() {
      List<AutoCloseable> all = new ArrayList<>(statements.values());
      all.add(connection);
      Database.closeQuietly(all);
    }
  }

  private static final class Pending<T> {
    final @Nullable String subject;
    final String what;
    final Op<T> op;
    final CompletableFuture<T> done = new CompletableFuture<>();
    @Nullable T value;
    @Nullable RuntimeException failure;

    /**
     * The operation changes the database with one statement at most; see {@link
     * #submitOneStatement}.
     */
    final boolean oneStatement;

    Pending(@Nullable String subject, String what, Op<T> op, boolean oneStatement) {
      this.subject = subject;
      this.what = what;
      this.op = op;
      this.oneStatement = oneStatement;
    }

    /**
     * Applies the operation inside the batch's transaction, in a savepoint unless it is one
     * statement.
     */
    void applyInBatch(Tx tx) throws SQLException {
      if (!oneStatement) {
        applyInSavepoint(tx);
        return;
      }
      value = null;
      failure = null;
      try {
        value = op.apply(tx);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    /** Applies the operation inside a savepoint of the batch's transaction. */
    void applyInSavepoint(Tx tx) throws SQLException {
      value = null;
      failure = null;
      tx.exec("SAVEPOINT op");
      try {
        value = op.apply(tx);
      } catch (RuntimeException e) {
        tx.exec("ROLLBACK TO op");
        failure = e;
      }
      tx.exec("RELEASE op");
    }

    /**
     * Applies the operation as the only one of the open transaction: it needs no savepoint, as a
     * failure rolls back the whole transaction. Returns whether the transaction is to be committed.
     */
    boolean applyAlone(Tx tx) throws SQLException {
      value = null;
      failure = null;
      try {
        value = op.apply(tx);
        return true;
      } catch (RuntimeException e) {
        failure = e;
        return false;
      }
    }

    void finish() {
      if (failure != null) done.completeExceptionally(failure);
      else done.complete(value);
    }
  }

  private final Database db;
  private final Tx tx;

  /**
   * Held while {@link #tx} is used: by the writer thread for a batch, or by a caller committing
   * alone.
   */
  private final ReentrantLock lock = new ReentrantLock();

  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();

  /**
   * Operations queued and not yet completed (in the queue or in the writer thread's batch). A
   * caller commits alone only when this is 0, so it never overtakes queued operations.
   */
  private final AtomicInteger queued = new AtomicInteger();

  private final Pending<Void> poison = new Pending<>(null, "stop", t -> null, false);
  private final Object gate = new Object();
  private final Thread thread;
  private volatile boolean closed;

  /** Set, under {@link #lock}, once {@link #tx} is closed. */
  private boolean txClosed;

  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong committedOps = new AtomicLong();

  private final Checkpointer checkpointer;

  Writer(Database db, Connection connection) {
    this.db = db;
    this.tx = new Tx(connection);
    this.checkpointer = new Checkpointer(db);
    this.thread = new Thread(this::loop, "agentrt-sqlite-writer " + db.path().getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Applies {@code op} and returns its result once it committed: on the calling thread if the
   * writer is idle, else in the writer thread's next batch. Waits uninterruptibly (a commit takes
   * microseconds to milliseconds); the interrupt status is kept.
   *
   * @param subject what the operation concerns, for error messages ({@code run 'r', step 'k'})
   * @param what what it does, for error messages ({@code cannot append the step})
   */
  <T> T submit(@Nullable String subject, String what, Op<T> op) {
    return submit(new Pending<>(subject, what, op, false));
  }

  /**
   * {@link #submit}, for an operation that changes the database with a single statement, and throws
   * only if that statement changed nothing (or failed): a statement is atomic by itself, so the
   * operation needs neither a transaction of its own when alone (SQLite commits the statement) nor
   * a savepoint in a batch.
   */
  <T> T submitOneStatement(@Nullable String subject, String what, Op<T> op) {
    return submit(new Pending<>(subject, what, op, true));
  }

  private <T> T submit(Pending<T> p) {
    String what = p.what;
    if (closed) throw closedFailure(p);
    if (queued.get() == 0 && lock.tryLock()) {
      try {
        if (txClosed) throw closedFailure(p);
        commitAlone(p);
      } finally {
        lock.unlock();
      }
    } else {
      synchronized (gate) {
        if (closed) throw closedFailure(p);
        queued.incrementAndGet();
        queue.add(p);
      }
    }
    try {
      return p.done.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new CheckpointStoreException(
          "checkpoint store " + db.path() + ": " + what + ": " + cause, cause);
    }
  }

  private CheckpointStoreException closedFailure(Pending<?> p) {
    return new CheckpointStoreException(
        "checkpoint store "
            + db.path()
            + ": "
            + (p.subject == null ? "" : p.subject + ": ")
            + p.what
            + ": the store is closed");
  }

  /** Transactions committed so far. */
  long commits() {
    return commits.get();
  }

  /** Operations committed so far. */
  long committedOps() {
    return committedOps.get();
  }

  /** WAL checkpoints run in the background so far. */
  long checkpoints() {
    return checkpointer.checkpoints();
  }

  private void loop() {
    List<Pending<?>> batch = new ArrayList<>();
    boolean running = true;
    while (running) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
      } catch (InterruptedException e) {
        // only close() stops the writer, with the poison pill; keep draining
        continue;
      }
      int stop = batch.indexOf(poison);
      if (stop >= 0) {
        running = false;
        batch.subList(stop, batch.size()).clear();
      }
      if (!batch.isEmpty()) {
        lock.lock();
        try {
          commit(batch);
        } finally {
          lock.unlock();
          queued.addAndGet(-batch.size());
        }
      }
      batch.clear();
    }
    lock.lock();
    try {
      txClosed = true;
      checkpointer.close();
      tx.close();
    } finally {
      lock.unlock();
    }
  }

  /** Commits {@code batch} (under {@link #lock}) and completes its operations. */
  private void commit(List<Pending<?>> batch) {
    if (batch.size() == 1) {
      commitAlone(batch.get(0));
      return;
    }
    try {
      tx.exec("BEGIN IMMEDIATE");
      for (Pending<?> p : batch) p.applyInBatch(tx);
      tx.exec("COMMIT");
    } catch (SQLException e) {
      rollback();
      log.debug(
          "checkpoint store {}: a batch of {} failed; committing its operations one by one",
          db.path(),
          batch.size(),
          e);
      for (Pending<?> p : batch) commitAlone(p);
      return;
    } catch (Throwable t) {
      unexpected(batch, t);
      return;
    }
    commits.incrementAndGet();
    int ok = 0;
    for (Pending<?> p : batch) {
      if (p.failure == null) ok++;
      p.finish();
    }
    committedOps.addAndGet(ok);
    checkpointer.committed(ok);
  }

  /** Applies {@code p} in a transaction of its own (under {@link #lock}) and completes it. */
  private void commitAlone(Pending<?> p) {
    if (p.oneStatement) {
      autocommit(p);
      return;
    }
    try {
      tx.exec("BEGIN IMMEDIATE");
      if (p.applyAlone(tx)) {
        tx.exec("COMMIT");
        commits.incrementAndGet();
        committedOps.incrementAndGet();
        checkpointer.committed(1);
      } else {
        rollback();
      }
    } catch (SQLException e) {
      rollback();
      p.done.completeExceptionally(Database.failure(db.path(), p.subject, p.what, e));
      return;
    } catch (Throwable t) {
      unexpected(List.of(p), t);
      return;
    }
    p.finish();
  }

  /**
   * Applies a one-statement {@code p} outside a transaction: SQLite commits the statement alone.
   */
  private void autocommit(Pending<?> p) {
    try {
      if (p.applyAlone(tx)) {
        commits.incrementAndGet();
        committedOps.incrementAndGet();
        checkpointer.committed(1);
      }
    } catch (SQLException e) {
      p.done.completeExceptionally(Database.failure(db.path(), p.subject, p.what, e));
      return;
    } catch (Throwable t) {
      unexpected(List.of(p), t);
      return;
    }
    p.finish();
  }

  private void unexpected(List<Pending<?>> batch, Throwable t) {
    log.error("checkpoint store {}: the writer failed unexpectedly", db.path(), t);
    rollback();
    for (Pending<?> p : batch) {
      p.done.completeExceptionally(
          new CheckpointStoreException(
              "checkpoint store "
                  + db.path()
                  + ": "
                  + (p.subject == null ? "" : p.subject + ": ")
                  + p.what
                  + ": the writer failed ("
                  + t
                  + ")",
              t));
    }
  }

  private void rollback() {
    try {
      tx.exec("ROLLBACK");
    } catch (SQLException ignored) {
      // SQLite may have rolled the transaction back already
    }
  }

  /** Applies what was queued before, then stops the thread and closes the connection. */
  @Override
  public void close() {
    synchronized (gate) {
      if (closed) return;
      closed = true;
      queue.add(poison);
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
