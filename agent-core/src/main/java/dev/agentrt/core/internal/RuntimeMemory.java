package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.MemorySpec;
import dev.agentrt.core.memory.Embedder;
import dev.agentrt.core.memory.Fusion;
import dev.agentrt.core.memory.MemoryAccess;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.core.spi.MemoryStoreProvider;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's {@link MemoryStore}: routes each space to the backend {@code config.yml}'s {@code
 * memory:} names for its scope (default {@code sqlite}). A backend is opened once per distinct
 * {@code path}, on first use, with the scopes that name it and that path; the runtime closes it. A
 * search whose spaces live in several backends asks each for its sparse and dense rankings and
 * fuses them with the query's {@link Fusion}.
 */
public final class RuntimeMemory implements MemoryStore {
  private static final Logger log = LoggerFactory.getLogger(RuntimeMemory.class);

  /** The backend of a scope that names none. */
  public static final String DEFAULT_BACKEND = "sqlite";

  /**
   * The backends of agent-memory: a scope naming one of them while agent-memory is absent fails
   * when it is used (the configuration may be shared with a runtime that has it); any other name
   * not on the class path is a configuration problem.
   */
  private static final Set<String> FIRST_PARTY = Set.of("sqlite", "jsonl");

  private static final String MISSING =
      "add dependency dev.agentrt:agent-memory, or register one with"
          + " AgentRuntime.builder().memoryBackend(...)";

  private final Manifests manifests;
  private final Path configDir;
  private final String projectId;
  private final @Nullable Embedder embedder;
  private final @Nullable Path runsDatabase;
  private final Clock clock;
  private final OpenTelemetry otel;
  private final Map<MemoryScope, Group> byScope = new EnumMap<>(MemoryScope.class);
  private final Map<MemoryScope, String> unavailable = new EnumMap<>(MemoryScope.class);
  private final List<ManifestProblem> problems = new ArrayList<>();
  private boolean closed;

  /**
   * @param providers the backends by name (registered ones already win over discovered ones)
   * @param problemAt places a problem at a key of config.yml
   */
  public RuntimeMemory(
      Manifests manifests,
      Path configDir,
      Map<String, MemoryStoreProvider> providers,
      @Nullable Embedder embedder,
      @Nullable Path runsDatabase,
      Clock clock,
      OpenTelemetry otel,
      java.util.function.BiFunction<List<String>, String, ManifestProblem> problemAt) {
    this.manifests = manifests;
    this.configDir = configDir;
    this.projectId = projectId(configDir);
    this.embedder = embedder;
    this.runsDatabase = runsDatabase;
    this.clock = clock;
    this.otel = otel;
    MemorySpec spec = manifests.config().memory();
    Map<String, Group> groups = new LinkedHashMap<>();
    for (MemoryScope scope : MemoryScope.values()) {
      MemorySpec.ScopeSpec s = scopeSpec(spec, scope);
      String name = s.backend() != null ? s.backend() : DEFAULT_BACKEND;
      MemoryStoreProvider p = providers.get(name);
      if (p == null) {
        // a name that is not a name at all was reported when config.yml was read
        if (!FIRST_PARTY.contains(name) && name.matches(MemorySpec.BACKEND_NAME)) {
          Set<String> known = new TreeSet<>(providers.keySet());
          known.addAll(FIRST_PARTY);
          problems.add(
              problemAt.apply(
                  List.of("memory", scope.configName(), "backend"),
                  "no memory backend '"
                      + name
                      + "' on the class path"
                      + Suggest.didYouMean(name, known)
                      + " (backends: "
                      + String.join(", ", known)
                      + ")"));
        }
        unavailable.put(
            scope,
            "no memory backend '"
                + name
                + "' for scope '"
                + scope.configName()
                + "' on the class path ("
                + MISSING
                + ")");
        continue;
      }
      String key = name + "\u0000" + (s.path() == null ? "" : Path.of(s.path()).normalize());
      Group g = groups.computeIfAbsent(key, k -> new Group(name, p));
      g.scopes.put(scope, s);
      byScope.put(scope, g);
    }
  }

  /** Problems of {@code memory:} found when the runtime was built (unknown backends). */
  public List<ManifestProblem> problems() {
    return List.copyOf(problems);
  }

  /** Whether any scope has a backend. */
  public boolean available() {
    return !byScope.isEmpty();
  }

  /**
   * The owner of this runtime's project space: the name of the directory that holds the
   * configuration directory (for {@code /home/me/shop/.agent}: {@code shop}), so it survives moving
   * the project; {@code project} when there is none.
   */
  public String projectId() {
    return projectId;
  }

  static String projectId(Path configDir) {
    return MemorySpace.projectOf(configDir).owner();
  }

  /** The memory of run {@code runId} as {@code agent} (null: a tool node) may use it. */
  public MemoryAccess access(String runId, @Nullable String agent) {
    if (!available())
      throw new MemoryException("no memory backend on the class path (" + MISSING + ")");
    AgentSpec.MemoryPermissions perms =
        agent == null ? null : manifests.agent(agent).map(AgentSpec::memory).orElse(null);
    return new MemoryAccess(
        this,
        runId,
        projectId,
        scopes(perms == null ? null : perms.read()),
        scopes(perms == null ? null : perms.write()));
  }

  private static Set<MemoryScope> scopes(@Nullable List<String> names) {
    if (names == null) return MemoryAccess.DEFAULT_SCOPES;
    Set<MemoryScope> out = EnumSet.noneOf(MemoryScope.class);
    for (String n : names) out.add(MemoryScope.parse(n.toLowerCase(Locale.ROOT)));
    return out;
  }

  private static MemorySpec.ScopeSpec scopeSpec(@Nullable MemorySpec spec, MemoryScope scope) {
    MemorySpec.ScopeSpec s =
        spec == null
            ? null
            : switch (scope) {
              case TASK -> spec.task();
              case PROJECT -> spec.project();
              case GLOBAL -> spec.global();
            };
    return s != null ? s : new MemorySpec.ScopeSpec(null, null, null);
  }

  @Override
  public MemoryItem put(MemorySpace space, MemoryWrite write) {
    return backend(space.scope()).put(space, write);
  }

  @Override
  public List<MemoryItem> putAll(MemorySpace space, List<MemoryWrite> writes) {
    return backend(space.scope()).putAll(space, writes);
  }

  @Override
  public Optional<MemoryItem> get(MemorySpace space, String key) {
    return backend(space.scope()).get(space, key);
  }

  @Override
  public boolean delete(MemorySpace space, String key) {
    return backend(space.scope()).delete(space, key);
  }

  @Override
  public List<MemoryHit> search(MemoryQuery query) {
    Map<Group, List<MemorySpace>> parts = new LinkedHashMap<>();
    for (MemorySpace s : query.spaces()) {
      backend(s.scope()); // fails for a scope without backend
      parts.computeIfAbsent(byScope.get(s.scope()), g -> new ArrayList<>()).add(s);
    }
    if (parts.size() == 1) return parts.keySet().iterator().next().store().search(query);
    SearchMode mode = query.mode();
    if (mode == null) mode = embedder != null ? SearchMode.HYBRID : SearchMode.SPARSE;
    if (mode != SearchMode.SPARSE && embedder == null) throw noEmbedder(mode);
    int n = (int) Math.min(MemoryQuery.MAX_K, (long) query.k() * query.rerankFactor());
    List<MemoryHit> dense = new ArrayList<>();
    List<MemoryHit> sparse = new ArrayList<>();
    for (Map.Entry<Group, List<MemorySpace>> e : parts.entrySet()) {
      MemoryQuery part =
          new MemoryQuery(
              query.text(),
              n,
              e.getValue(),
              null,
              query.filter(),
              query.fusion(),
              query.rerankFactor());
      MemoryStore store = e.getKey().store();
      if (mode != SearchMode.DENSE) sparse.addAll(store.search(part.withMode(SearchMode.SPARSE)));
      if (mode != SearchMode.SPARSE) dense.addAll(store.search(part.withMode(SearchMode.DENSE)));
    }
    List<MemoryHit> d = ranked(dense, MemoryHit::denseScore, true, n);
    List<MemoryHit> s = ranked(sparse, MemoryHit::sparseScore, false, n);
    return switch (mode) {
      case SPARSE -> s.size() > query.k() ? List.copyOf(s.subList(0, query.k())) : s;
      case DENSE -> d.size() > query.k() ? List.copyOf(d.subList(0, query.k())) : d;
      case HYBRID -> query.fusion().fuse(d, s, query.k());
    };
  }

  /** One ranking merged from several backends: by score, ties by space and key, ranks from 1. */
  private static List<MemoryHit> ranked(
      List<MemoryHit> hits, Function<MemoryHit, @Nullable Double> score, boolean dense, int n) {
    List<MemoryHit> sorted = new ArrayList<>(hits);
    sorted.sort(
        Comparator.comparingDouble((MemoryHit h) -> scoreOf(score.apply(h)))
            .reversed()
            .thenComparing(h -> h.item().space().scope())
            .thenComparing(h -> h.item().space().owner())
            .thenComparing(h -> h.item().key()));
    List<MemoryHit> out = new ArrayList<>();
    for (int i = 0; i < sorted.size() && i < n; i++) {
      MemoryHit h = sorted.get(i);
      double sc = scoreOf(score.apply(h));
      out.add(
          dense
              ? new MemoryHit(h.item(), sc, sc, null, i + 1, null)
              : new MemoryHit(h.item(), sc, null, sc, null, i + 1));
    }
    return out;
  }

  private static double scoreOf(@Nullable Double d) {
    return d == null ? 0 : d;
  }

  /** The runtime's embedding model, shared with executors (the embedded router); null if none. */
  public @Nullable Embedder embedderOrNull() {
    return embedder;
  }

  /** The error of a search that needs an embedder the runtime does not have. */
  public static MemoryException noEmbedder(SearchMode mode) {
    return new MemoryException(
        "a "
            + mode.configName()
            + " memory search needs an embedding model, and the runtime has none (add"
            + " dependency dev.agentrt:agent-embeddings, or give one with"
            + " AgentRuntime.builder().embedder(...); or search with mode sparse)");
  }

  @Override
  public int prune() {
    int n = 0;
    for (Group g : distinctGroups()) n += g.store().prune();
    return n;
  }

  private List<Group> distinctGroups() {
    List<Group> out = new ArrayList<>();
    for (Group g : byScope.values()) if (!out.contains(g)) out.add(g);
    return out;
  }

  /** Closes the backends opened so far; a failure is logged and the rest are still closed. */
  @Override
  public void close() {
    List<Group> groups;
    synchronized (this) {
      if (closed) return;
      closed = true;
      groups = distinctGroups();
    }
    for (Group g : groups) g.close();
  }

  private MemoryStore backend(MemoryScope scope) {
    synchronized (this) {
      if (closed) throw new MemoryException("the runtime's memory is closed");
    }
    Group g = byScope.get(scope);
    if (g == null) throw new MemoryException(unavailable.get(scope));
    return g.store();
  }

  /** One backend opened for the scopes that name it with one path. */
  private final class Group {
    final String name;
    final MemoryStoreProvider provider;
    final Map<MemoryScope, MemorySpec.ScopeSpec> scopes = new EnumMap<>(MemoryScope.class);
    private @Nullable MemoryStore store;

    Group(String name, MemoryStoreProvider provider) {
      this.name = name;
      this.provider = provider;
    }

    synchronized MemoryStore store() {
      if (store == null) {
        synchronized (RuntimeMemory.this) {
          if (closed) throw new MemoryException("the runtime's memory is closed");
        }
        log.debug("opening memory backend '{}' for scopes {}", name, scopes.keySet());
        store = provider.open(new Setup(Map.copyOf(scopes)));
      }
      return store;
    }

    synchronized void close() {
      if (store == null) return;
      try {
        store.close();
      } catch (RuntimeException e) {
        log.warn("closing memory backend '{}' failed", name, e);
      }
      store = null;
    }
  }

  /** What a backend is opened with. */
  private final class Setup implements MemoryStoreProvider.Setup {
    private final Map<MemoryScope, MemorySpec.ScopeSpec> scopes;

    Setup(Map<MemoryScope, MemorySpec.ScopeSpec> scopes) {
      this.scopes = scopes;
    }

    @Override
    public Manifests manifests() {
      return manifests;
    }

    @Override
    public Path configDir() {
      return configDir;
    }

    @Override
    public Map<MemoryScope, MemorySpec.ScopeSpec> scopes() {
      return scopes;
    }

    @Override
    public @Nullable Path runsDatabase() {
      return runsDatabase;
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
      return otel;
    }
  }
}
