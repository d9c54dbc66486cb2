package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import java.nio.file.Path;

/**
 * Discovers a {@link CheckpointStore} through {@link java.util.ServiceLoader}. The store named
 * by {@code checkpoint.store} in {@code config.yml} is used; without that key, a discovered
 * provider other than the built-in {@code memory} one is used, and the in-memory store
 * otherwise. A store set with {@code AgentRuntime.builder().checkpointStore(...)} wins.
 *
 * @since 0.1
 */
public interface CheckpointStoreProvider {

  /** The name used in {@code checkpoint.store}, such as {@code sqlite}. */
  String name();

  /** Opens the store described by the manifests' {@code checkpoint:} section. */
  CheckpointStore open(Manifests manifests, Path configDir);
}
