package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.MemorySpec;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemoryStore;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A memory backend, discovered with {@link java.util.ServiceLoader} (or registered on the runtime's
 * builder) by the name {@code config.yml} gives it: {@code memory: {project: {backend: sqlite}}}.
 * The runtime opens a backend once per distinct {@code path} among the scopes that name it (on
 * first use), and closes it with itself.
 *
 * @since 0.1
 */
public interface MemoryStoreProvider {

  /** The backend's name in {@code config.yml} ({@code sqlite}, {@code jsonl}). */
  String backend();

  /**
   * Opens the backend for {@code setup.scopes()}.
   *
   * @throws dev.agentrt.core.memory.MemoryException when its files cannot be opened
   */
  MemoryStore open(Setup setup);

  /**
   * What a backend is opened with. Implemented by the engine.
   *
   * @since 0.1
   */
  interface Setup {
    /** The loaded configuration. */
    Manifests manifests();

    /**
     * The {@code .agent/} directory. Relative {@code path}s of scopes are resolved against the
     * working directory, as {@code checkpoint.path} is.
     */
    Path configDir();

    /**
     * The scopes this backend keeps, with their settings ({@code path}, {@code retention}); a scope
     * {@code config.yml} leaves out has settings with every field absent. All of them have the same
     * {@code path}.
     */
    Map<MemoryScope, MemorySpec.ScopeSpec> scopes();

    /**
     * The runs database ({@code checkpoint: {store: sqlite}}), where the {@code sqlite} backend
     * keeps memory when a scope names no {@code path}; {@code null} when runs are not kept in
     * SQLite.
     */
    @Nullable Path runsDatabase();

    /** The embedding model, or {@code null} when there is none (dense search is refused). */
    @Nullable Embedder embedder();

    /** The runtime's clock: items' creation and update times, {@code max_age}. */
    Clock clock();

    /** The runtime's OpenTelemetry, for {@code agentrt.memory.*} spans and metrics. */
    OpenTelemetry openTelemetry();
  }
}
