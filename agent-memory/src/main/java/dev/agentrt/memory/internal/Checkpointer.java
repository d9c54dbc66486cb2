package dev.agentrt.memory.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on a thread and connection of its own ({@code PRAGMA
 * wal_checkpoint(PASSIVE)}, every {@value #EVERY_WRITES} committed writes), so that no commit pays
 * for a checkpoint and its disk flushes. The writer's connection keeps SQLite's automatic
 * checkpoint only as a backstop at {@value #BACKSTOP_PAGES} pages, should this thread fall behind.
 * A checkpoint moves only committed data; durability is unchanged.
 *
 * <p>Why not more often: after a complete checkpoint the next commit restarts the WAL from its
 * beginning and, with {@code synchronous=normal}, must flush the new WAL header to disk first (on
 * the committing thread). Measured here a flush takes ~4 ms (more when the disk is busy), so with a
 * checkpoint every 500 writes that alone cost ~2 µs per write; every 4,000 it is ~0.3–1 µs, for a
 * WAL of up to ~32 MB (two 4 KiB pages per single-step commit).
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
  static final int EVERY_WRITES = 4_000;
  static final int BACKSTOP_PAGES = 20_000;

  private final Database db;
  private final ExecutorService thread;
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong done = new AtomicLong();

  /** Used on {@link #thread} only, then closed by {@link #close()}. */
  private @Nullable Connection connection;

  private @Nullable PreparedStatement statement;

  Checkpointer(Database db) {
    this.db = db;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "agentrt-sqlite-checkpoint " + db.path().getFileName());
              t.setDaemon(true);
              return t;
            });
  }

  /** Counts {@code n} committed writes; schedules a checkpoint every {@value #EVERY_WRITES}. */
  void committed(int n) {
    if (writes.addAndGet(n) >= EVERY_WRITES && scheduled.compareAndSet(false, true)) {
      writes.set(0);
      try {
        thread.execute(this::checkpoint);
      } catch (RejectedExecutionException e) {
        scheduled.set(false); // closing
      }
    }
  }

  private void checkpoint() {
    try {
      if (connection == null) connection = db.openReader();
      if (statement == null)
        statement = connection.prepareStatement("PRAGMA wal_checkpoint(PASSIVE)");
      try (ResultSet r = statement.executeQuery()) {
        r.next();
      }
      done.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      log.debug(
          "checkpoint store {}: a background checkpoint failed; the next one retries",
          db.path(),
          e);
    } finally {
      scheduled.set(false);
    }
  }

  /** Background checkpoints run so far. */
  long checkpoints() {
    return done.get();
  }

  /** Waits for a running checkpoint and closes the connection. */
  @Override
  public void close() {
    thread.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (thread.awaitTermination(1, TimeUnit.MINUTES)) break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    List<AutoCloseable> open = new ArrayList<>();
    if (statement != null) open.add(statement);
    if (connection != null) open.add(connection);
    Database.closeQuietly(open);
  }
}
