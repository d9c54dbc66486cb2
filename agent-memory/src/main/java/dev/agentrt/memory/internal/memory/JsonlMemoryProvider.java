package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.manifest.MemorySpec;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.spi.MemoryStoreProvider;
import java.nio.file.Path;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The {@code jsonl} memory backend: append-only JSON Lines files, one per space, in the scope's
 * {@code path} (a directory, default {@value #DEFAULT_DIR}, relative to the working directory).
 */
public final class JsonlMemoryProvider implements MemoryStoreProvider {
  /** The directory when the scope names no {@code path}. */
  public static final String DEFAULT_DIR = "var/agentrt/memory";

  private final SearchIndexFactory index;

  /** Called by {@link java.util.ServiceLoader}: the default search index. */
  public JsonlMemoryProvider() {
    this(SearchIndexFactory.defaultFactory());
  }

  /** A backend whose search index comes from {@code index}. */
  public JsonlMemoryProvider(SearchIndexFactory index) {
    this.index = Objects.requireNonNull(index, "index");
  }

  @Override
  public String backend() {
    return "jsonl";
  }

  @Override
  public MemoryStore open(Setup setup) {
    String path = path(setup);
    Path dir = Path.of(path != null ? path : DEFAULT_DIR);
    return JsonlMemoryStore.open(dir, setup, index, dir.resolve("index-" + scopeNames(setup)));
  }

  /** The {@code path} the setup's scopes share (the runtime opens a backend once per path). */
  static @Nullable String path(Setup setup) {
    for (MemorySpec.ScopeSpec s : new TreeMap<>(setup.scopes()).values()) {
      if (s.path() != null) return s.path();
    }
    return null;
  }

  /** The setup's scopes as a file-name part: {@code project+task}. */
  static String scopeNames(Setup setup) {
    return new TreeMap<>(setup.scopes())
        .keySet().stream().map(MemoryScope::configName).collect(Collectors.joining("+"));
  }
}
