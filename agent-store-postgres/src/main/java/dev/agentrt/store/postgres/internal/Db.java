package dev.agentrt.store.postgres.internal;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.CheckpointStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Connections from the pool and the two shapes of work on them: one statement committed on its own
 * ({@link #auto}), or several in one transaction ({@link #tx}). A {@link SQLException} becomes a
 * {@link CheckpointStoreException} naming the store, the subject and what failed; exceptions of
 * agentrt pass through (after a rollback).
 */
final class Db {
  /** Work on a connection. */
  interface Op<T> {
    T apply(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final String name;
  private final BooleanSupplier closed;

  Db(DataSource dataSource, String name, BooleanSupplier closed) {
    this.dataSource = dataSource;
    this.name = name;
    this.closed = closed;
  }

  /** The store's name in messages: its URL without the query. */
  String name() {
    return name;
  }

  /** Runs {@code op} in auto-commit mode: each statement it executes commits on its own. */
  <T> T auto(@Nullable String subject, String what, Op<T> op) {
    checkOpen(subject, what);
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) c.setAutoCommit(true);
      return op.apply(c);
    } catch (SQLException e) {
      throw failure(subject, what, e);
    }
  }

  /** Runs {@code op} in one transaction, committed when it returns, rolled back if it throws. */
  <T> T tx(@Nullable String subject, String what, Op<T> op) {
    checkOpen(subject, what);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = op.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      } finally {
        resetAutoCommit(c);
      }
    } catch (SQLException e) {
      throw failure(subject, what, e);
    }
  }

  /** Gives the connection back as it came (a pool of the application may not reset it). */
  private static void resetAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // a broken connection: the pool discards it
    }
  }

  private void checkOpen(@Nullable String subject, String what) {
    if (closed.getAsBoolean()) {
      throw new CheckpointStoreException(
          "checkpoint store "
              + name
              + ": "
              + (subject == null ? "" : subject + ": ")
              + what
              + ": the store is closed");
    }
  }

  /** A database failure, as the exception to throw. */
  AgentrtException failure(@Nullable String subject, String what, SQLException e) {
    String state = e.getSQLState();
    String hint =
        state != null && state.startsWith("08")
            ? " (the database cannot be reached; check that it is up and checkpoint.url)"
            : "";
    return new CheckpointStoreException(
        "checkpoint store "
            + name
            + ": "
            + (subject == null ? "" : subject + ": ")
            + what
            + ": "
            + e.getMessage()
            + hint,
        e);
  }
}
