package dev.agentrt.core.internal;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreProvider;
import dev.agentrt.core.spi.Plugins;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Chooses the runtime's checkpoint store from {@code checkpoint:} in config.yml and the discovered
 * providers.
 */
public final class StoreOpener {
  private StoreOpener() {}

  /**
   * What opens the configured checkpoint store, found without opening it; a store name that nothing
   * provides is added to {@code problems} (and the returned opener is not to be called).
   */
  public static Supplier<CheckpointStore> of(
      Manifests manifests,
      Path dir,
      Clock clock,
      List<CheckpointStoreProvider> providers,
      List<ManifestProblem> problems) {
    CheckpointSpec spec = manifests.config().checkpoint();
    String name = spec == null ? null : spec.store();
    Map<String, CheckpointStoreProvider> byName =
        Plugins.index(
            providers,
            CheckpointStoreProvider::name,
            p -> p,
            Set.of(),
            "two CheckpointStoreProviders declare store '%s': %s, %s");
    if (name == null) {
      List<CheckpointStoreProvider> durable = new ArrayList<>(byName.values());
      if (durable.size() > 1) {
        throw new AgentrtException(
            "several checkpoint stores are on the classpath ("
                + String.join(", ", byName.keySet())
                + "); choose one with checkpoint: {store: NAME} in config.yml");
      }
      return durable.isEmpty()
          ? () -> CheckpointStore.inMemory(10_000, clock)
          : () -> durable.get(0).open(manifests, dir, clock);
    }
    if (name.equals("memory")) return () -> CheckpointStore.inMemory(10_000, clock);
    if (name.equals("none")) return CheckpointStore::none;
    CheckpointStoreProvider p = byName.get(name);
    if (p == null) {
      Set<String> known = new TreeSet<>(byName.keySet());
      known.add("memory");
      known.add("none");
      String module =
          name.equals("sqlite")
              ? " (add dependency dev.agentrt:agent-memory)"
              : " (known: " + String.join(", ", known) + ")";
      problems.add(
          new ManifestProblem(
              "config.yml",
              0,
              0,
              "checkpoint.store: no store '" + name + "' on the classpath" + module));
      return () -> {
        throw new IllegalStateException("no checkpoint store '" + name + "'");
      };
    }
    return () -> p.open(manifests, dir, clock);
  }

  /**
   * The SQLite file the configured checkpoint store keeps runs in ({@link
   * CheckpointStoreProvider#databaseFile}), or null when it is not known to be one.
   */
  public static @Nullable Path databaseFile(
      Manifests manifests, List<CheckpointStoreProvider> providers) {
    CheckpointSpec spec = manifests.config().checkpoint();
    String name = spec == null ? null : spec.store();
    CheckpointStoreProvider chosen = null;
    if (name == null) {
      if (providers.size() == 1) chosen = providers.get(0);
    } else {
      for (CheckpointStoreProvider p : providers) if (p.name().equals(name)) chosen = p;
    }
    return chosen == null ? null : chosen.databaseFile(manifests);
  }
}
