package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Discovers a {@link CheckpointStore} through {@link java.util.ServiceLoader}. The store named by
 * {@code checkpoint.store} in {@code config.yml} is used; with a {@code checkpoint:} section that
 * names no store, the one discovered provider (an error if there are several), and the in-memory
 * store if there is none. Without a {@code checkpoint:} section runs are kept in memory, whatever
 * is discovered. A store set with {@code AgentRuntime.builder().checkpointStore(...)} wins.
 *
 * @since 0.1
 */
public interface CheckpointStoreProvider {

  /** The name used in {@code checkpoint.store}, such as {@code sqlite}. */
  String name();

  /** Opens the store described by the manifests' {@code checkpoint:} section. */
  CheckpointStore open(Manifests manifests, Path configDir);

  /**
   * Opens the store like {@link #open(Manifests, Path)}, for a runtime whose clock is {@code clock}
   * (set with {@code AgentRuntime.Builder.clock(...)}); the runtime calls this one. The default
   * ignores the clock; a store that stamps or expires things with a clock of its own may use it.
   *
   * @since 0.1
   */
  default CheckpointStore open(Manifests manifests, Path configDir, Clock clock) {
    return open(manifests, configDir);
  }

  /**
   * The SQLite file this store keeps runs in for {@code manifests}, if it keeps them in one; the
   * {@code sqlite} memory backend keeps its items there too unless a scope names its own {@code
   * path}. Default: {@code null}.
   *
   * @since 0.1
   */
  default @Nullable Path databaseFile(Manifests manifests) {
    return null;
  }
}
