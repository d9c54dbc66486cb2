package dev.agentrt.spring;

import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.nio.file.Path;

/** Opens the SQLite store; only loaded when agent-memory is on the classpath. */
final class SqliteStores {
  private SqliteStores() {}

  static CheckpointStore open(Path path) {
    return SqliteCheckpointStore.open(path);
  }
}
