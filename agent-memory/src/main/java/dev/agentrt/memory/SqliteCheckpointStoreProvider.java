package dev.agentrt.memory;

import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Provides the {@code sqlite} checkpoint store to {@code AgentRuntime} through {@link
 * java.util.ServiceLoader}: {@code checkpoint: {store: sqlite, path: var/agentrt/runs.db,
 * synchronous: normal, lease_ttl: 15s}} in {@code config.yml}. {@code path} (default {@value
 * #DEFAULT_PATH}) is relative to the working directory; {@code synchronous} is {@code normal}
 * (default) or {@code full}, see {@link Synchronous}; {@code lease_ttl} is {@link
 * SqliteStoreOptions#leaseTtl()} (10 ms to 1 day).
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

  /**
   * {@inheritDoc}
   *
   * @throws ManifestException if {@code checkpoint.lease_ttl} is out of range
   */
  @Override
  public CheckpointStore open(Manifests manifests, Path configDir) {
    return open(manifests, configDir, Clock.systemUTC());
  }

  /**
   * {@inheritDoc} The clock is the store's {@link SqliteStoreOptions#clock()} (leases, status
   * updates, retention).
   *
   * @throws ManifestException if {@code checkpoint.lease_ttl} is out of range
   */
  @Override
  public CheckpointStore open(Manifests manifests, Path configDir, Clock clock) {
    CheckpointSpec spec = manifests.config().checkpoint();
    String path = spec == null || spec.path() == null ? DEFAULT_PATH : spec.path();
    SqliteStoreOptions.Builder options = SqliteStoreOptions.builder().clock(clock);
    if (spec != null && spec.synchronous() != null) {
      options.synchronous(Synchronous.valueOf(spec.synchronous().toUpperCase(Locale.ROOT)));
    }
    if (spec != null && spec.leaseTtl() != null) {
      try {
        options.leaseTtl(spec.leaseTtl());
      } catch (IllegalArgumentException e) {
        throw new ManifestException(
            List.of(
                new ManifestProblem(
                    "config.yml",
                    0,
                    0,
                    "checkpoint.lease_ttl: must be "
                        + "between 10ms and 1 day, was "
                        + spec.leaseTtl())));
      }
    }
    return SqliteCheckpointStore.open(Path.of(path), options.build());
  }

  /** {@code checkpoint.path}, default {@value #DEFAULT_PATH}: the memory backend shares it. */
  @Override
  public Path databaseFile(Manifests manifests) {
    CheckpointSpec spec = manifests.config().checkpoint();
    return Path.of(spec == null || spec.path() == null ? DEFAULT_PATH : spec.path());
  }
}
