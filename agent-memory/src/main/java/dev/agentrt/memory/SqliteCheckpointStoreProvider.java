package dev.agentrt.memory;

import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Provides the {@code sqlite} checkpoint store to {@code AgentRuntime} through
 * {@link java.util.ServiceLoader}: {@code checkpoint: {store: sqlite, path: var/agentrt/runs.db,
 * synchronous: normal}} in {@code config.yml}. {@code path} (default {@value #DEFAULT_PATH}) is
 * relative to the working directory; {@code synchronous} is {@code normal} (default) or
 * {@code full}, see {@link Synchronous}.
 *
 * @since 0.1
 */
public final class SqliteCheckpointStoreProvider implements CheckpointStoreProvider {
  /** The database file used when {@code checkpoint.path} is not set. */
  public static final String DEFAULT_PATH = "var/agentrt/runs.db";

  /** Called by {@link java.util.ServiceLoader}. */
  public SqliteCheckpointStoreProvider() {}

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public CheckpointStore open(Manifests manifests, Path configDir) {
    CheckpointSpec spec = manifests.config().checkpoint();
    String path = spec == null || spec.path() == null ? DEFAULT_PATH : spec.path();
    SqliteStoreOptions.Builder options = SqliteStoreOptions.builder();
    if (spec != null && spec.synchronous() != null) {
      options.synchronous(Synchronous.valueOf(spec.synchronous().toUpperCase(Locale.ROOT)));
    }
    return SqliteCheckpointStore.open(Path.of(path), options.build());
  }
}
