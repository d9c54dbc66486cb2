package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import java.nio.file.Path;

/**
 * What a {@link NodeExecutorProvider} may use to build its executor. Implemented by the engine.
 *
 * @since 0.1
 */
public interface ExecutorSetup {

  /** Everything loaded from the configuration directory. */
  Manifests manifests();

  /** The configuration directory ({@code .agent/}); relative paths in manifests resolve here. */
  Path configDir();
}
