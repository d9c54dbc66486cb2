package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.MemorySpec;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.spi.MemoryStoreProvider;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Opening the two backends in tests: setups, and a deterministic embedder. */
final class Backends {
  private Backends() {}

  /** A setup for {@code scopes} with the given retention, files under {@code dir}. */
  static MemoryStoreProvider.Setup setup(
      Path dir,
      String backend,
      @Nullable Long maxItems,
      java.time.@Nullable Duration maxAge,
      @Nullable Embedder embedder,
      Clock clock) {
    Map<MemoryScope, MemorySpec.ScopeSpec> scopes = new EnumMap<>(MemoryScope.class);
    String path =
        backend.equals("sqlite")
            ? dir.resolve("memory.db").toString()
            : dir.resolve("mem").toString();
    for (MemoryScope s : MemoryScope.values()) {
      scopes.put(
          s,
          new MemorySpec.ScopeSpec(
              backend,
              path,
              maxItems == null && maxAge == null
                  ? null
                  : new MemorySpec.RetentionSpec(maxItems, maxAge)));
    }
    Manifests m = new Manifests(dir, RuntimeConfig.EMPTY, Map.of(), Map.of(), Map.of(), Set.of());
    return new MemoryStoreProvider.Setup() {
      @Override
      public Manifests manifests() {
        return m;
      }

      @Override
      public Path configDir() {
        return dir;
      }

      @Override
      public Map<MemoryScope, MemorySpec.ScopeSpec> scopes() {
        return scopes;
      }

      @Override
      public @Nullable Path runsDatabase() {
        return null;
      }

      @Override
      public @Nullable Embedder embedder() {
        return embedder;
      }

      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public OpenTelemetry openTelemetry() {
        return OpenTelemetry.noop();
      }
    };
  }

  static IndexedStore open(String backend, MemoryStoreProvider.Setup setup, SearchIndexFactory f) {
    return (IndexedStore)
        (backend.equals("sqlite") ? new SqliteMemoryProvider(f) : new JsonlMemoryProvider(f))
            .open(setup);
  }

  /**
   * A deterministic embedder of bag-of-letters vectors (unit length, 26 dimensions) that counts its
   * calls.
   */
  static final class LetterEmbedder implements Embedder {
    final String model;
    final int dimension;
    final AtomicInteger calls = new AtomicInteger();

    LetterEmbedder(String model, int dimension) {
      this.model = model;
      this.dimension = dimension;
    }

    LetterEmbedder() {
      this("letters", 26);
    }

    @Override
    public String model() {
      return model;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      calls.incrementAndGet();
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        float[] v = new float[dimension];
        for (char ch : t.toLowerCase(Locale.ROOT).toCharArray()) {
          if (ch >= 'a' && ch <= 'z') v[(ch - 'a') % dimension] += 1;
        }
        double norm = 0;
        for (float f : v) norm += f * f;
        norm = Math.sqrt(norm);
        if (norm == 0) v[0] = 1;
        else for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
        out.add(v);
      }
      return out;
    }
  }
}
