package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.spi.MemoryStoreProvider;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code sqlite} memory backend: a table in the runs database ({@code checkpoint.path}, on a
 * connection of its own with the same {@code synchronous}), or in the file a scope's {@code path}
 * names, or {@value #DEFAULT_FILE} when runs are not kept in SQLite.
 */
public final class SqliteMemoryProvider implements MemoryStoreProvider {
  /** The database file when no scope names one and runs are not kept in SQLite. */
  public static final String DEFAULT_FILE = "var/agentrt/memory.db";

  private final SearchIndexFactory index;

  /** Called by {@link java.util.ServiceLoader}: the default search index. */
  public SqliteMemoryProvider() {
    this(SearchIndexFactory.defaultFactory());
  }

  /** A backend whose search index comes from {@code index}. */
  public SqliteMemoryProvider(SearchIndexFactory index) {
    this.index = Objects.requireNonNull(index, "index");
  }

  @Override
  public String backend() {
    return "sqlite";
  }

  @Override
  public MemoryStore open(Setup setup) {
    String path = JsonlMemoryProvider.path(setup);
    Path file =
        path != null
            ? Path.of(path)
            : setup.runsDatabase() != null ? setup.runsDatabase() : Path.of(DEFAULT_FILE);
    CheckpointSpec cp = setup.manifests().config().checkpoint();
    boolean fullSync = cp != null && "full".equals(cp.synchronous());
    Path indexDir =
        file.resolveSibling(
            file.getFileName() + ".memory-index-" + JsonlMemoryProvider.scopeNames(setup));
    return SqliteMemoryStore.open(file, fullSync, setup, index, indexDir);
  }
}
