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
 * providers: without a {@code checkpoint:} section, runs are kept in memory; with one that names no
 * store, in the one store provider on the classpath (in memory if there is none).
 */
public final class StoreOpener {
  private StoreOpener() {}

  /** At most this many runs are kept by the in-memory store (the oldest finished go first). */
  static final int IN_MEMORY_RUNS = 10_000;

  /** The configured store: how to open it, and one line saying where it keeps runs. */
  public record Choice(Supplier<CheckpointStore> opener, String description) {}

  /**
   * What opens the configured checkpoint store, found without opening it; a store name that nothing
   * provides is added to {@code problems} (and the returned opener is not to be called).
   */
  public static Choice of(
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
    if (spec == null) return inMemory(clock, byName.containsKey("sqlite"));
    if (name == null) {
      List<CheckpointStoreProvider> durable = new ArrayList<>(byName.values());
      if (durable.size() > 1) {
        throw new AgentrtException(
            "several checkpoint stores are on the classpath ("
                + String.join(", ", byName.keySet())
                + "); choose one with checkpoint: {store: NAME} in config.yml");
      }
      return durable.isEmpty()
          ? inMemory(clock, false)
          : provided(durable.get(0), manifests, dir, clock);
    }
    if (name.equals("memory")) return inMemory(clock, byName.containsKey("sqlite"));
    if (name.equals("none")) {
      return new Choice(
          CheckpointStore::none,
          "runs are not kept (checkpoint: {store: none}): they cannot be resumed, listed or"
              + " shown");
    }
    CheckpointStoreProvider p = byName.get(name);
    if (p == null) {
      Set<String> known = new TreeSet<>(byName.keySet());
      known.add("memory");
      known.add("none");
      String module =
          switch (name) {
            case "sqlite" -> " (add dependency dev.agentrt:agent-memory)";
            case "postgres" -> " (add dependency dev.agentrt:agent-store-postgres)";
            default -> " (known: " + String.join(", ", known) + ")";
          };
      problems.add(
          new ManifestProblem(
              "config.yml",
              0,
              0,
              "checkpoint.store: no store '" + name + "' on the classpath" + module));
      return new Choice(
          () -> {
            throw new IllegalStateException("no checkpoint store '" + name + "'");
          },
          "no store");
    }
    return provided(p, manifests, dir, clock);
  }

  private static Choice inMemory(Clock clock, boolean sqliteAvailable) {
    return new Choice(
        () -> CheckpointStore.inMemory(IN_MEMORY_RUNS, clock),
        "runs are kept in memory (not kept after the JVM exits; "
            + (sqliteAvailable ? "" : "add dependency dev.agentrt:agent-memory and ")
            + "set checkpoint: {store: sqlite} in config.yml to keep them)");
  }

  private static Choice provided(
      CheckpointStoreProvider p, Manifests manifests, Path dir, Clock clock) {
    Path file = p.databaseFile(manifests);
    String where = file == null ? "" : " " + file.toAbsolutePath().normalize();
    return new Choice(() -> p.open(manifests, dir, clock), "runs are kept in " + p.name() + where);
  }

  /**
   * The SQLite file the configured checkpoint store keeps runs in ({@link
   * CheckpointStoreProvider#databaseFile}), or null when it is not known to be one (runs kept in
   * memory, as without a {@code checkpoint:} section).
   */
  public static @Nullable Path databaseFile(
      Manifests manifests, List<CheckpointStoreProvider> providers) {
    CheckpointSpec spec = manifests.config().checkpoint();
    if (spec == null) return null;
    String name = spec.store();
    CheckpointStoreProvider chosen = null;
    if (name == null) {
      if (providers.size() == 1) chosen = providers.get(0);
    } else {
      for (CheckpointStoreProvider p : providers) if (p.name().equals(name)) chosen = p;
    }
    return chosen == null ? null : chosen.databaseFile(manifests);
  }
}
