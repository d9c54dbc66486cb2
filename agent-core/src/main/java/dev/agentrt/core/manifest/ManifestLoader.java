package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.internal.LocatedTree;
import dev.agentrt.core.internal.ManifestReader;
import dev.agentrt.core.internal.ProvidedFunctions;
import dev.agentrt.core.spi.FunctionProvider;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Plugins;
import dev.agentrt.core.spi.ToolBusProvider;
import dev.agentrt.core.spi.ToolDescriptor;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Loads and validates a configuration directory ({@code .agent/}) without running anything: no
 * checkpoint store is opened, no node executor is created, no thread is started. It is what {@code
 * agentrt validate} and {@code agentrt graph} use, and what {@link
 * dev.agentrt.core.AgentRuntime.Builder#build()} reads the directory with.
 *
 * <pre>{@code
 * ManifestLoader.Result result = ManifestLoader.ofDefaults().load(Path.of(".agent"));
 * for (ManifestProblem p : result.problems()) System.err.println(p); // config.yml:4:3: ...
 * Manifests manifests = result.orThrow();
 * }</pre>
 *
 * <p><b>Node kinds.</b> Every node's kind must be one the engine runs itself ({@code function},
 * {@code transform}, {@code workflow}), one of an executor given with {@link Builder#nodeExecutor},
 * one declared with {@link Builder#kind}, or (with {@link Builder#discovery} on, the default) one a
 * {@link NodeExecutorProvider} on the classpath declares; any other kind is a problem. The keys a
 * kind owns ({@code tool:} and {@code args:} of kind {@code tool}) are the kind's {@link
 * dev.agentrt.core.spi.NodeKeys}, read from the given executor or the discovered provider without
 * creating an executor: a missing required key, a reference to nothing, or a key used on a kind
 * that does not own it is a problem. A declared kind owns no keys. Only the nodes of a kind whose
 * executor was given are also checked with {@link NodeExecutor#validate} (an agent's tools, a
 * tool's policy): the loader never creates an executor.
 *
 * <p><b>Functions.</b> A {@code kind: function} node must name a function given with {@link
 * Builder#function} or (with discovery on) provided by a {@link FunctionProvider} on the classpath;
 * the loader asks the providers for their names and never calls a function. With {@link
 * Builder#lenientFunctions} any other name is a warning ({@link Result#warnings()}) instead of a
 * problem, for reading a configuration whose functions are not at hand.
 *
 * <p><b>Tools.</b> The loader has no tool bus. The tools it knows are those given with {@link
 * Builder#tool} and (with discovery on) those of the {@link dev.agentrt.core.spi.ToolProvider}s on
 * the classpath, such as agent-tools' built-in tools; their tags count as provided when a node's
 * {@code requires:} is checked, and they are the tools of {@link Result#capabilities()}.
 *
 * <p>Immutable and thread-safe; one loader may load any number of directories. Create one with
 * {@link #builder()}, change one with {@link #toBuilder()}.
 *
 * @since 0.1
 */
public final class ManifestLoader {
  /** The default limit of one manifest file's size: 1 MiB. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = ManifestReader.DEFAULT_MAX_MANIFEST_BYTES;

  private final Function<String, @Nullable String> environment;
  private final Set<String> functions;
  private final Map<String, NodeExecutor> executors;
  private final Set<String> kinds;
  private final boolean discovery;
  private final long maxManifestBytes;
  private final List<ToolDescriptor> tools;
  private final boolean lenientFunctions;

  private ManifestLoader(Builder b) {
    this.environment = b.environment;
    this.functions = Set.copyOf(b.functions);
    this.executors = Map.copyOf(b.executors);
    this.kinds = Set.copyOf(b.kinds);
    this.discovery = b.discovery;
    this.maxManifestBytes = b.maxManifestBytes;
    this.tools = List.copyOf(b.tools.values());
    this.lenientFunctions = b.lenientFunctions;
  }

  /**
   * A loader with the defaults: {@code ${env:X}} from {@link System#getenv(String)}, no functions,
   * the node kinds of the providers on the classpath, files of at most 1 MiB.
   */
  public static ManifestLoader ofDefaults() {
    return builder().build();
  }

  /**
   * Reads a YAML document as manifests are read, keeping where each value is, for tools that check
   * YAML files of their own (see {@link LocatedYaml}).
   *
   * @param file the file's name, for the problem of malformed YAML
   * @param text the document
   * @throws ManifestException with one problem at the line and column of malformed YAML
   * @since 0.1
   */
  public static LocatedYaml readYaml(String file, String text) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(text, "text");
    List<String> duplicates = new ArrayList<>();
    LocatedTree tree;
    try {
      tree = LocatedTree.read(text, duplicates);
    } catch (LocatedTree.YamlSyntaxException e) {
      throw new ManifestException(
          List.of(new ManifestProblem(file, e.line, e.column, "invalid YAML: " + e.getMessage())));
    }
    JsonNode root = tree.root == null ? NullNode.getInstance() : tree.root;
    List<String> dups = List.copyOf(duplicates);
    return new LocatedYaml() {
      @Override
      public JsonNode root() {
        return root;
      }

      @Override
      public String locate(String pointer) {
        int[] at = tree.locate(pointer);
        return at[0] + ":" + at[1];
      }

      @Override
      public String locateKey(String pointer) {
        int[] at = tree.locateKey(pointer);
        return at[0] + ":" + at[1];
      }

      @Override
      public List<String> duplicateKeys() {
        return dups;
      }
    };
  }

  /** A builder with the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this loader's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.environment = environment;
    b.functions.addAll(functions);
    b.executors.putAll(executors);
    b.kinds.addAll(kinds);
    b.discovery = discovery;
    b.maxManifestBytes = maxManifestBytes;
    for (ToolDescriptor t : tools) b.tools.put(t.name(), t);
    b.lenientFunctions = lenientFunctions;
    return b;
  }

  /**
   * Reads and checks every file of {@code dir}. Never throws for a problem of the files: each one
   * is in {@link Result#problems()}.
   *
   * @param dir the configuration directory, holding {@code config.yml}, {@code agents/} and {@code
   *     workflows/}
   * @throws dev.agentrt.core.AgentrtException if a discovered {@link NodeExecutorProvider} declares
   *     a built-in kind, or two discovered {@link FunctionProvider}s provide one function (the
   *     message names their classes)
   */
  public Result load(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Set<String> known = new LinkedHashSet<>(functions);
    known.addAll(ProvidedFunctions.discover(discovery, functions).keySet());
    // the providers' kinds and keys, read without creating an executor (no pool, no store)
    List<NodeExecutorProvider> providers = Plugins.load(NodeExecutorProvider.class, discovery);
    Supplier<List<ToolDescriptor>> knownTools = ManifestReader.knownTools(tools, discovery);
    ManifestReader reader =
        new ManifestReader(
            environment,
            ManifestReader.kinds(executors, providers, kinds),
            known,
            Set.of(),
            maxManifestBytes,
            knownTools,
            lenientFunctions);
    ManifestReader.Result read = reader.read(dir.toAbsolutePath().normalize());
    List<ManifestProblem> problems = new ArrayList<>(read.problems());
    if (problems.isEmpty()) problems.addAll(read.validateNodes(executors::get));
    Manifests m = read.manifests();
    if (problems.isEmpty() && m != null && m.config().policy() != null) {
      problems.addAll(read.configProblems(policyProblems(m, dir)));
    }
    return new Result(m, problems, read.warnings(), read.unregisteredFunctions(), knownTools);
  }

  /**
   * The problems of {@code policy:} as the runtime's tool bus would find them when it is created (a
   * malformed duration, a workspace that is not a directory), checked without creating it.
   */
  private List<NodeProblem> policyProblems(Manifests m, Path dir) {
    List<ToolBusProvider> buses = Plugins.load(ToolBusProvider.class, discovery);
    if (buses.size() != 1) return List.of(); // none: nothing reads policy; two: build() says so
    return buses
        .get(0)
        .check(
            new ToolBusProvider.Setup(m, dir, List.of(), Clock.systemUTC(), OpenTelemetry.noop()));
  }

  /**
   * What {@link #load} found: the manifests and every problem, each with file, line and column.
   * Immutable.
   *
   * @since 0.1
   */
  public static final class Result {
    private final @Nullable Manifests manifests;
    private final List<ManifestProblem> problems;
    private final List<ManifestProblem> warnings;
    private final Set<String> unregisteredFunctions;
    private final Supplier<List<ToolDescriptor>> tools;

    Result(
        @Nullable Manifests manifests,
        List<ManifestProblem> problems,
        List<ManifestProblem> warnings,
        Set<String> unregisteredFunctions,
        Supplier<List<ToolDescriptor>> tools) {
      this.manifests = manifests;
      this.problems = List.copyOf(problems);
      this.warnings = List.copyOf(warnings);
      this.unregisteredFunctions =
          java.util.Collections.unmodifiableSet(new LinkedHashSet<>(unregisteredFunctions));
      this.tools = tools;
    }

    /**
     * What was read, also when there are problems (the parts with problems may then be missing or
     * incomplete); empty if the directory could not be read at all.
     */
    public Optional<Manifests> manifests() {
      return Optional.ofNullable(manifests);
    }

    /**
     * Every problem found, in file order (config.yml, agents/, workflows/), then line and column.
     */
    public List<ManifestProblem> problems() {
      return problems;
    }

    /**
     * What does not make the directory invalid but makes a run fail: with {@link
     * Builder#lenientFunctions}, each {@code kind: function} node naming a function that is neither
     * given nor provided, located at its {@code function:} key ({@code workflows/triage.yml:5:44:
     * node 'classify': function 'classify' is not registered (...)}). Empty otherwise.
     *
     * @since 0.1
     */
    public List<ManifestProblem> warnings() {
      return warnings;
    }

    /**
     * The names of the functions of {@link #warnings()}: those the nodes call that are neither
     * given nor provided. Empty unless {@link Builder#lenientFunctions} is set.
     *
     * @since 0.1
     */
    public Set<String> unregisteredFunctions() {
      return unregisteredFunctions;
    }

    /** Whether the directory has no problem. */
    public boolean isValid() {
      return problems.isEmpty() && manifests != null;
    }

    /**
     * The manifests of a directory without problems.
     *
     * @throws ManifestException listing every problem, if there is any
     */
    public Manifests orThrow() {
      if (!problems.isEmpty() || manifests == null) throw new ManifestException(problems);
      return manifests;
    }

    /**
     * The capability registry of the manifests of a directory without problems, with the tools the
     * loader knows (see {@link ManifestLoader}).
     *
     * @throws ManifestException listing every problem, if there is any
     * @since 0.1
     */
    public Capabilities capabilities() {
      return Capabilities.of(orThrow(), tools.get());
    }

    @Override
    public String toString() {
      return "ManifestLoader.Result{manifests=" + manifests + ", problems=" + problems.size() + "}";
    }
  }

  /**
   * Settings of a {@link ManifestLoader}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Function<String, @Nullable String> environment = System::getenv;
    private final Set<String> functions = new LinkedHashSet<>();
    private final Map<String, NodeExecutor> executors = new LinkedHashMap<>();
    private final Set<String> kinds = new LinkedHashSet<>();
    private boolean discovery = true;
    private long maxManifestBytes = DEFAULT_MAX_MANIFEST_BYTES;
    private final Map<String, ToolDescriptor> tools = new LinkedHashMap<>();
    private boolean lenientFunctions;

    private Builder() {}

    /** Where {@code ${env:X}} looks values up; default {@link System#getenv(String)}. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Names a function that {@code kind: function} nodes may call (its code is registered on {@link
     * dev.agentrt.core.AgentRuntime.Builder#function}). With discovery on, the functions of the
     * {@link FunctionProvider}s on the classpath are known too; a node naming any other function is
     * a problem (a warning with {@link #lenientFunctions}).
     */
    public Builder function(String name) {
      functions.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * A tool the configuration may use besides the discovered ones (a tool registered on {@link
     * dev.agentrt.core.AgentRuntime.Builder#tool}): its tags count as provided for {@code
     * requires:}. It wins over a discovered tool of the same name.
     *
     * @since 0.1
     */
    public Builder tool(ToolDescriptor tool) {
      Objects.requireNonNull(tool, "tool");
      tools.put(tool.name(), tool);
      return this;
    }

    /** Names several functions, as {@link #function} does. */
    public Builder functions(Collection<String> names) {
      for (String n : names) function(n);
      return this;
    }

    /**
     * An executor whose {@link NodeExecutor#validate} checks the nodes of its kind. The loader
     * never runs or closes it.
     *
     * @throws IllegalArgumentException if the kind is built in or already has an executor here
     */
    public Builder nodeExecutor(NodeExecutor executor) {
      Objects.requireNonNull(executor, "executor");
      String kind = Objects.requireNonNull(executor.kind(), "executor.kind()");
      if (ManifestReader.BUILT_IN_KINDS.contains(kind)) {
        throw new IllegalArgumentException(
            "kind '" + kind + "' is built in and cannot be replaced");
      }
      NodeExecutor prev = executors.putIfAbsent(kind, executor);
      if (prev != null) {
        throw new IllegalArgumentException(
            "two executors given for kind '"
                + kind
                + "': "
                + prev.getClass().getName()
                + ", "
                + executor.getClass().getName());
      }
      return this;
    }

    /**
     * Declares a node kind whose executor is not at hand: its nodes are accepted and checked for
     * the keys every node takes; the kind owns no keys (a discovered provider of the kind gives its
     * keys).
     */
    public Builder kind(String kind) {
      kinds.add(Objects.requireNonNull(kind, "kind"));
      return this;
    }

    /**
     * Whether the kinds declared by {@link NodeExecutorProvider}s on the classpath are accepted
     * (found with {@link Plugins#load}; the providers create no executor); default true.
     */
    public Builder discovery(boolean discovery) {
      this.discovery = discovery;
      return this;
    }

    /**
     * The largest manifest file read, and the largest file a {@code ${file:...}} reference reads,
     * in bytes; default 1 MiB. A larger file is reported as a problem without being parsed.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxManifestBytes(long bytes) {
      if (bytes <= 0)
        throw new IllegalArgumentException("maxManifestBytes must be positive, got " + bytes);
      this.maxManifestBytes = bytes;
      return this;
    }

    /**
     * Whether a {@code kind: function} node naming a function that is neither named with {@link
     * #function} nor provided by a discovered {@link FunctionProvider} is a warning ({@link
     * Result#warnings()}, its name in {@link Result#unregisteredFunctions()}) instead of a problem;
     * default false. For tools that read a configuration without running its functions, such as
     * {@code agentrt validate} and {@code agentrt graph}, when the application's code is not at
     * hand.
     *
     * @since 0.1
     */
    public Builder lenientFunctions(boolean lenient) {
      this.lenientFunctions = lenient;
      return this;
    }

    /** The loader with these settings. */
    public ManifestLoader build() {
      return new ManifestLoader(this);
    }
  }
}
