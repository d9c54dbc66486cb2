package dev.agentrt.memory.internal.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.spi.MemoryStoreProvider;
import dev.agentrt.memory.internal.SqliteConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sqlite} memory backend: one table, {@code memory_items}, in the runs database (its own
 * connection, WAL and {@code synchronous} as the checkpoint store's) or in the file a scope names.
 * A write and the retention it causes are one transaction, which also counts up the change number
 * in the one-row table {@code memory_seq} (the search index is labelled with it).
 */
final class SqliteMemoryStore extends IndexedStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

  static final List<String> SCHEMA =
      List.of(
          "CREATE TABLE IF NOT EXISTS memory_items ("
              + " scope TEXT NOT NULL, owner TEXT NOT NULL, key TEXT NOT NULL,"
              + " text TEXT NOT NULL, metadata TEXT NOT NULL, tags TEXT NOT NULL,"
              + " created_ns INTEGER NOT NULL, updated_ns INTEGER NOT NULL,"
              + " embedding BLOB, embedding_model TEXT, embedding_dim INTEGER,"
              + " PRIMARY KEY (scope, owner, key))",
          "CREATE INDEX IF NOT EXISTS memory_items_age"
              + " ON memory_items (scope, owner, updated_ns, key)",
          "CREATE TABLE IF NOT EXISTS memory_seq ("
              + " id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL)",
          "INSERT OR IGNORE INTO memory_seq (id, seq) VALUES (1, 0)");

  private static final String COLUMNS =
      "scope, owner, key, text, metadata, tags, created_ns, updated_ns, embedding,"
          + " embedding_model";

  private final Path file;
  private final Connection c;

  /** {@code memory_seq.seq} as of the last transaction of this store. */
  private long seq;

  private SqliteMemoryStore(Path file, Connection c, MemoryStoreProvider.Setup setup) {
    super("memory store " + file, setup);
    this.file = file;
    this.c = c;
  }

  /** Opens (creating) the table in {@code file} and the index in {@code indexDir}. */
  static SqliteMemoryStore open(
      Path file,
      boolean fullSync,
      MemoryStoreProvider.Setup setup,
      SearchIndexFactory factory,
      Path indexDir) {
    Connection c;
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      c = SqliteConnections.open(file, fullSync, BUSY_TIMEOUT);
    } catch (java.io.IOException | SQLException e) {
      throw new MemoryException(
          "memory store "
              + file
              + ": cannot open the database ("
              + e.getMessage()
              + ") (check that this process may write there, or set memory.<scope>.path)",
          e);
    }
    SqliteMemoryStore s = new SqliteMemoryStore(file, c, setup);
    try {
      s.seq =
          s.transaction(
              () -> {
                try (Statement st = c.createStatement()) {
                  for (String sql : SCHEMA) st.execute(sql);
                }
                return s.readSeq();
              });
      synchronized (s) {
        s.openIndex(factory, indexDir);
      }
      return s;
    } catch (RuntimeException e) {
      s.closeStorage();
      throw e;
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} in one immediate transaction, rolled back on any failure. */
  private <T> T transaction(Work<T> work) {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        T out = work.run();
        s.execute("COMMIT");
        return out;
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // nothing left to roll back
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure("cannot write", e);
    }
  }

  /**
   * Runs {@code work} in one transaction that also counts up {@code memory_seq} when {@code work}
   * says it changed something; the store's {@link #seq()} follows once the transaction committed.
   */
  private <T> T change(Work<T> work, Predicate<T> changed) {
    long[] next = {-1};
    T out =
        transaction(
            () -> {
              T result = work.run();
              if (changed.test(result)) {
                try (Statement st = c.createStatement()) {
                  st.executeUpdate("UPDATE memory_seq SET seq = seq + 1 WHERE id = 1");
                }
                next[0] = readSeq();
              }
              return result;
            });
    if (next[0] >= 0) seq = next[0];
    return out;
  }

  private long readSeq() throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT seq FROM memory_seq WHERE id = 1")) {
      if (!r.next()) throw new SQLException("table memory_seq has no row");
      return r.getLong(1);
    }
  }

  @Override
  long seq() {
    return seq;
  }

  private MemoryException failure(String what, SQLException e) {
    return new MemoryException(
        "memory store " + file + ": " + what + ": " + e.getMessage() + " (see the cause)", e);
  }

  @Override
  @Nullable Stored read(MemorySpace space, String key) {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM memory_items WHERE scope = ? AND owner = ? AND key = ?")) {
      p.setString(1, space.scope().configName());
      p.setString(2, space.owner());
      p.setString(3, key);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? row(r) : null;
      }
    } catch (SQLException e) {
      throw failure("cannot read", e);
    }
  }

  private static Stored row(ResultSet r) throws SQLException {
    MemorySpace space = new MemorySpace(MemoryScope.parse(r.getString(1)), r.getString(2));
    try {
      ObjectNode meta = (ObjectNode) JSON.readTree(r.getString(5));
      List<String> tags = Arrays.asList(JSON.readValue(r.getString(6), String[].class));
      MemoryItem item =
          new MemoryItem(
              space,
              r.getString(3),
              r.getString(4),
              meta,
              tags,
              instant(r.getLong(7)),
              instant(r.getLong(8)));
      byte[] v = r.getBytes(9);
      return new Stored(item, v == null ? null : Vectors.floats(v), r.getString(10));
    } catch (JsonProcessingException | ClassCastException e) {
      throw new SQLException(
          "item '" + r.getString(3) + "' of " + space + " has unreadable metadata or tags", e);
    }
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static Instant instant(long ns) {
    return Instant.ofEpochSecond(
        Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
  }

  @Override
  List<Gone> upsert(MemorySpace space, List<Stored> items, @Nullable Long maxItems) {
    return change(
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO memory_items ("
                      + COLUMNS
                      + ", embedding_dim) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (scope, owner, key) DO UPDATE SET text = excluded.text,"
                      + " metadata = excluded.metadata, tags = excluded.tags,"
                      + " updated_ns = excluded.updated_ns, embedding = excluded.embedding,"
                      + " embedding_model = excluded.embedding_model,"
                      + " embedding_dim = excluded.embedding_dim")) {
            for (Stored s : items) {
              MemoryItem i = s.item();
              p.setString(1, space.scope().configName());
              p.setString(2, space.owner());
              p.setString(3, i.key());
              p.setString(4, i.text());
              p.setString(5, JSON.writeValueAsString(i.metadata()));
              p.setString(6, JSON.writeValueAsString(i.tags()));
              p.setLong(7, nanos(i.created()));
              p.setLong(8, nanos(i.updated()));
              float[] v = s.vector();
              p.setBytes(9, v == null ? null : Vectors.bytes(v));
              p.setString(10, v == null ? null : s.model());
              if (v == null) p.setNull(11, java.sql.Types.INTEGER);
              else p.setInt(11, v.length);
              p.addBatch();
            }
            p.executeBatch();
          } catch (JsonProcessingException e) {
            throw new SQLException("metadata cannot be written as JSON", e);
          }
          return maxItems == null ? List.<Gone>of() : evict(space, maxItems);
        },
        gone -> true);
  }

  /** Deletes the oldest items of {@code space} beyond {@code maxItems}. */
  private List<Gone> evict(MemorySpace space, long maxItems) throws SQLException {
    List<Gone> gone = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT key, embedding_model, embedding_dim FROM memory_items"
                + " WHERE scope = ? AND owner = ?"
                + " ORDER BY updated_ns DESC, key DESC LIMIT -1 OFFSET ?")) {
      p.setString(1, space.scope().configName());
      p.setString(2, space.owner());
      p.setLong(3, maxItems);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) gone.add(new Gone(space, r.getString(1), modelKey(r, 2)));
      }
    }
    deleteAll(gone);
    return gone;
  }

  private static @Nullable String modelKey(ResultSet r, int col) throws SQLException {
    String model = r.getString(col);
    return model == null ? null : Stored.modelKey(model, r.getInt(col + 1));
  }

  private void deleteAll(List<Gone> gone) throws SQLException {
    if (gone.isEmpty()) return;
    try (PreparedStatement d =
        c.prepareStatement("DELETE FROM memory_items WHERE scope = ? AND owner = ? AND key = ?")) {
      for (Gone g : gone) {
        d.setString(1, g.space().scope().configName());
        d.setString(2, g.space().owner());
        d.setString(3, g.key());
        d.addBatch();
      }
      d.executeBatch();
    }
  }

  @Override
  boolean erase(MemorySpace space, String key) {
    return change(
        () -> {
          try (PreparedStatement d =
              c.prepareStatement(
                  "DELETE FROM memory_items WHERE scope = ? AND owner = ? AND key = ?")) {
            d.setString(1, space.scope().configName());
            d.setString(2, space.owner());
            d.setString(3, key);
            return d.executeUpdate() > 0;
          }
        },
        deleted -> deleted);
  }

  @Override
  List<Gone> prune(MemoryScope scope, @Nullable Instant cutoff, @Nullable Long maxItems) {
    return change(
        () -> {
          List<Gone> gone = new ArrayList<>();
          if (cutoff != null) {
            try (PreparedStatement p =
                c.prepareStatement(
                    "SELECT owner, key, embedding_model, embedding_dim FROM memory_items"
                        + " WHERE scope = ? AND updated_ns < ? ORDER BY owner, key")) {
              p.setString(1, scope.configName());
              p.setLong(2, nanos(cutoff));
              try (ResultSet r = p.executeQuery()) {
                while (r.next())
                  gone.add(
                      new Gone(
                          new MemorySpace(scope, r.getString(1)), r.getString(2), modelKey(r, 3)));
              }
            }
            deleteAll(gone);
          }
          if (maxItems != null) {
            List<String> owners = new ArrayList<>();
            try (PreparedStatement p =
                c.prepareStatement(
                    "SELECT DISTINCT owner FROM memory_items WHERE scope = ? ORDER BY owner")) {
              p.setString(1, scope.configName());
              try (ResultSet r = p.executeQuery()) {
                while (r.next()) owners.add(r.getString(1));
              }
            }
            for (String o : owners) gone.addAll(evict(new MemorySpace(scope, o), maxItems));
          }
          return gone;
        },
        gone -> !gone.isEmpty());
  }

  @Override
  List<Stored> all() {
    List<Stored> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT " + COLUMNS + " FROM memory_items ORDER BY scope, owner, key")) {
      while (r.next()) out.add(row(r));
      return out;
    } catch (SQLException e) {
      throw failure("cannot read", e);
    }
  }

  @Override
  int count() {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM memory_items")) {
      return r.next() ? r.getInt(1) : 0;
    } catch (SQLException e) {
      throw failure("cannot read", e);
    }
  }

  @Override
  Map<String, Integer> modelCounts() {
    Map<String, Integer> out = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT embedding_model, embedding_dim, count(*) FROM memory_items"
                    + " WHERE embedding_model IS NOT NULL GROUP BY embedding_model, embedding_dim")) {
      while (r.next()) out.put(Stored.modelKey(r.getString(1), r.getInt(2)), r.getInt(3));
      return out;
    } catch (SQLException e) {
      throw failure("cannot read", e);
    }
  }

  @Override
  void closeStorage() {
    try {
      c.close();
    } catch (SQLException e) {
      throw failure("cannot close", e);
    }
  }
}
