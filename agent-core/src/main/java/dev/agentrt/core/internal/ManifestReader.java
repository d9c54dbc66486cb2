package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.Plugins;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Reads a configuration directory: YAML with locations, variable resolution, binding to records,
 * constraint validation, graph rules and references. Collects every problem instead of stopping at
 * the first.
 */
public final class ManifestReader {
  // the parts: ManifestBinder reads one file into its record, ConfigChecks and WorkflowChecks check
  // what the records cannot say alone, ManifestHash hashes what a run depends on; Result locates
  // problems found later (by the executors) in the files

  /** Kinds the engine runs itself. */
  public static final Set<String> BUILT_IN_KINDS = NodeKinds.BUILT_IN;

  /**
   * The kinds besides the built-in ones and the keys each owns: those of the executors given in
   * code, else those of the discovered providers (read without creating an executor), else none for
   * the {@code declared} kinds.
   *
   * @throws AgentrtException if a provider declares a built-in kind (naming the provider's class)
   */
  public static Map<String, NodeKeys> kinds(
      Map<String, NodeExecutor> executors,
      Collection<? extends NodeExecutorProvider> providers,
      Set<String> declared) {
    NodeKinds.refuseBuiltIn(providers);
    Map<String, NodeKeys> kinds = new HashMap<>();
    for (String kind : declared) kinds.put(kind, NodeKeys.none());
    for (NodeExecutorProvider p : providers) kinds.put(p.kind(), keysOf(p, p.nodeKeys()));
    executors.forEach((kind, executor) -> kinds.put(kind, keysOf(executor, executor.nodeKeys())));
    return kinds;
  }

  private static NodeKeys keysOf(Object declaring, @Nullable NodeKeys keys) {
    if (keys == null)
      throw new AgentrtException(
          declaring.getClass().getName() + ".nodeKeys() returned null (return NodeKeys.none())");
    return keys;
  }

  /**
   * The tools known without a tool bus: {@code registered}, then (with {@code discovery}) those of
   * every {@link ToolProvider} on the classpath whose name is not taken yet. Looked up once, when
   * first asked for (only a configuration with {@code requires:} needs them at load).
   */
  public static Supplier<List<ToolDescriptor>> knownTools(
      Collection<ToolDescriptor> registered, boolean discovery) {
    List<ToolDescriptor> given = List.copyOf(registered);
    return new Supplier<>() {
      private @Nullable List<ToolDescriptor> known;

      @Override
      public synchronized List<ToolDescriptor> get() {
        if (known == null) {
          Map<String, ToolDescriptor> byName = new LinkedHashMap<>();
          for (ToolDescriptor d : given) byName.putIfAbsent(d.name(), d);
          for (ToolProvider p : Plugins.load(ToolProvider.class, discovery)) {
            for (Tool t : p.tools()) byName.putIfAbsent(t.descriptor().name(), t.descriptor());
          }
          known = List.copyOf(byName.values());
        }
        return known;
      }
    };
  }

  /** The default limit of one manifest file's size: 1 MiB. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 1L << 20;

  private final Function<String, @Nullable String> env;
  private final long maxManifestBytes;
  private final ManifestBinder binder;
  private final WorkflowChecks workflowChecks;
  private final Supplier<List<ToolDescriptor>> tools;
  private final Set<String> models;
  private final Set<String> functions;
  private final boolean lenientFunctions;

  /** Starts building the constraint validator in the background, so it is ready when needed. */
  public static void prewarmValidation() {
    Validators.prewarm();
  }

  /**
   * @param env where {@code ${env:X}} looks values up
   * @param kinds the kinds besides the built-in ones that have an executor (registered, discovered
   *     or declared), with the keys each owns ({@link NodeKeys#none()} when unknown)
   * @param functions the names of the registered functions, for kind {@code function}
   * @param models the names of the model instances registered on the runtime builder, which an
   *     agent's {@code model:} may name as well as the entries of config.yml's {@code models:}
   * @param maxManifestBytes the largest manifest file (and {@code ${file:...}} value) read, in
   *     bytes
   * @param tools the tools known at load time, whose tags count as provided for {@code requires:};
   *     asked for only if a node has {@code requires:}
   * @param lenientFunctions whether a {@code kind: function} node naming none of {@code functions}
   *     is a warning ({@link Result#warnings()}) instead of a problem
   */
  public ManifestReader(
      Function<String, @Nullable String> env,
      Map<String, NodeKeys> kinds,
      Set<String> functions,
      Set<String> models,
      long maxManifestBytes,
      Supplier<List<ToolDescriptor>> tools,
      boolean lenientFunctions) {
    this.env = env;
    this.functions = new LinkedHashSet<>(functions);
    this.lenientFunctions = lenientFunctions;
    this.models = Set.copyOf(models);
    this.tools = tools;
    this.maxManifestBytes = maxManifestBytes;
    this.binder = new ManifestBinder(maxManifestBytes);
    Map<String, NodeKeys> all = new HashMap<>(kinds);
    all.putAll(NodeKinds.builtInKeys(functions, lenientFunctions));
    this.workflowChecks = new WorkflowChecks(all);
    Validators.prewarm();
  }

  /**
   * The outcome of reading: manifests (null if the directory could not be read at all) and
   * problems.
   */
  public static final class Result {
    private final @Nullable Manifests manifests;
    private final List<ManifestProblem> problems;
    final Map<String, GraphChecker.GraphInfo> graphs;
    private final Map<String, ManifestFile> workflowFiles;
    private final @Nullable ManifestFile configFile;
    private final List<ManifestProblem> warnings;
    private final Set<String> unregisteredFunctions;

    Result(
        @Nullable Manifests manifests,
        List<ManifestProblem> problems,
        Map<String, GraphChecker.GraphInfo> graphs,
        Map<String, ManifestFile> workflowFiles,
        @Nullable ManifestFile configFile,
        List<ManifestProblem> warnings,
        Set<String> unregisteredFunctions) {
      this.manifests = manifests;
      this.problems = problems;
      this.graphs = graphs;
      this.workflowFiles = workflowFiles;
      this.configFile = configFile;
      this.warnings = List.copyOf(warnings);
      this.unregisteredFunctions = Collections.unmodifiableSet(unregisteredFunctions);
    }

    /** What is not a problem but makes a run fail: a function that is not registered. */
    public List<ManifestProblem> warnings() {
      return warnings;
    }

    /** The function names of the {@link #warnings()}, in file order. */
    public Set<String> unregisteredFunctions() {
      return unregisteredFunctions;
    }

    public @Nullable Manifests manifests() {
      return manifests;
    }

    public List<ManifestProblem> problems() {
      return problems;
    }

    /**
     * Runs each node's executor's {@link NodeExecutor#validate} over the nodes of its kind and
     * returns the problems found, located at the node's field or at the config.yml key (a
     * config.yml problem found for every node of a kind is returned once). A kind for which {@code
     * executors} gives null is skipped; nothing is checked if the directory could not be read.
     */
    public List<ManifestProblem> validateNodes(Function<String, @Nullable NodeExecutor> executors) {
      Manifests m = manifests;
      if (m == null) return List.of();
      Set<ManifestProblem> reported = new HashSet<>(problems);
      List<ManifestProblem> out = new ArrayList<>();
      for (WorkflowSpec wf : m.workflows().values()) {
        for (NodeSpec n : wf.nodes()) {
          String kind = n.kind();
          if (kind == null || BUILT_IN_KINDS.contains(kind)) continue;
          NodeExecutor ex = executors.apply(kind);
          if (ex == null) continue;
          for (NodeProblem p : ex.validate(n, m)) {
            ManifestProblem mp =
                p.isInConfig()
                    ? configProblemAt(p.configKey(), p.message())
                    : problemAt(wf.id(), n.id(), p.field(), p.message());
            if (reported.add(mp)) out.add(mp);
          }
        }
      }
      return out;
    }

    /** {@code problems} located in config.yml, in their order, without those reported already. */
    public List<ManifestProblem> configProblems(List<NodeProblem> problems) {
      Set<ManifestProblem> reported = new HashSet<>(this.problems);
      List<ManifestProblem> out = new ArrayList<>();
      for (NodeProblem p : problems) {
        ManifestProblem mp = configProblemAt(p.configKey(), p.message());
        if (reported.add(mp)) out.add(mp);
      }
      return out;
    }

    /** The merge node closing each branch and split of a workflow. */
    public Map<String, String> mergeOf(String workflowId) {
      GraphChecker.GraphInfo g = graphs.get(workflowId);
      return g == null ? Map.of() : g.mergeOf();
    }

    /**
     * A problem located at a key of config.yml (or its nearest ancestor in the file), the dotted
     * key written before the message: {@code policy.tools.http.read_timeout: ...}.
     */
    public ManifestProblem configProblemAt(List<String> key, String message) {
      String text = String.join(".", key) + ": " + message;
      if (configFile == null) return new ManifestProblem("config.yml", 0, 0, text);
      StringBuilder ptr = new StringBuilder();
      for (String k : key) ptr.append('/').append(LocatedTree.escape(k));
      int[] loc = configFile.tree.locate(ptr.toString());
      return new ManifestProblem(configFile.rel, loc[0], loc[1], text);
    }

    /** A problem located at a node's field (or the node, if the field is absent from the file). */
    public ManifestProblem problemAt(
        String workflowId, String nodeId, String field, String message) {
      ManifestFile f = workflowFiles.get(workflowId);
      WorkflowSpec wf = manifests == null ? null : manifests.workflows().get(workflowId);
      if (f == null || wf == null)
        return new ManifestProblem("workflows/" + workflowId + ".yml", 0, 0, message);
      int i = 0;
      for (; i < wf.nodes().size(); i++) {
        if (wf.nodes().get(i).id().equals(nodeId)) break;
      }
      String ptr = "/nodes/" + i + "/" + field;
      int[] loc = f.tree.locate(ptr);
      return f.at(loc[0], loc[1], "node '" + nodeId + "': " + message);
    }
  }

  /** Reads and checks {@code dir}; every problem found is in the result, none is thrown. */
  public Result read(Path dir) {
    return read(dir, List.of(), List.of());
  }

  /**
   * Reads and checks {@code dir} (if not null) together with the agents and workflows built in
   * code; every problem found is in the result, none is thrown. Without a directory the
   * configuration is empty and relative paths resolve against the working directory.
   */
  public Result read(
      @Nullable Path dir, List<CodeManifest> codeAgents, List<CodeManifest> codeWorkflows) {
    List<ManifestProblem> problems = new ArrayList<>();
    if (dir == null) {
      return readWith(Path.of("").toAbsolutePath(), false, codeAgents, codeWorkflows, problems);
    }
    if (!Files.isDirectory(dir)) {
      problems.add(
          new ManifestProblem(
              dir.toString(),
              0,
              0,
              "configuration directory does not exist (create it, or point --config at the directory holding config.yml, agents/ and workflows/)"));
      return new Result(null, problems, Map.of(), Map.of(), null, List.of(), Set.of());
    }
    return readWith(dir, true, codeAgents, codeWorkflows, problems);
  }

  private Result readWith(
      Path dir,
      boolean withFiles,
      List<CodeManifest> codeAgents,
      List<CodeManifest> codeWorkflows,
      List<ManifestProblem> problems) {
    Set<String> secrets = new LinkedHashSet<>();
    Variables vars = new Variables(env, dir, secrets, maxManifestBytes);

    Path configPath =
        withFiles ? firstExisting(dir.resolve("config.yml"), dir.resolve("config.yaml")) : null;
    ManifestFile configFile =
        configPath == null ? null : new ManifestFile(rel(dir, configPath), configPath, problems);
    RuntimeConfig config = RuntimeConfig.EMPTY;
    // config.yml exists but could not be read: what it would define is unknown, so references to it
    // (an agent's model) are not reported as missing
    boolean configUnreadable = false;
    if (configFile != null) {
      int before = problems.size();
      RuntimeConfig c = binder.readFile(configFile, vars, RuntimeConfig.class, true);
      if (c != null) config = c;
      configUnreadable = c == null && problems.size() > before;
      if (c != null) ConfigChecks.checkConfig(config, models, configFile);
    }

    Map<String, ManifestFile> agentFiles = new HashMap<>();
    Map<String, AgentSpec> agents =
        readAll(
            withFiles ? dir : null,
            codeAgents,
            "agents",
            AgentSpec.class,
            AgentSpec::name,
            "agent",
            "/name",
            vars,
            problems,
            agentFiles);
    agents.replaceAll((name, a) -> withOutputType(a, agentFiles.get(name)));
    ConfigChecks.checkAgents(dir, configUnreadable ? null : config, models, agents, agentFiles);

    Map<String, ManifestFile> workflowFiles = new LinkedHashMap<>();
    Map<String, WorkflowSpec> workflows =
        readAll(
            withFiles ? dir : null,
            codeWorkflows,
            "workflows",
            WorkflowSpec.class,
            WorkflowSpec::id,
            "workflow",
            "/id",
            vars,
            problems,
            workflowFiles);
    Map<String, String> hashes = new HashMap<>();
    for (String id : workflows.keySet()) {
      hashes.put(id, ManifestHash.hash(dir, id, workflows, workflowFiles, agents, agentFiles));
    }
    Manifests manifests = new Manifests(dir, config, agents, workflows, hashes, secrets);
    Map<String, GraphChecker.GraphInfo> graphs = checkWorkflows(manifests, workflowFiles);
    CapabilityChecks.checkDuplicates(agents, agentFiles, workflows, workflowFiles);
    CapabilityChecks.checkRequires(manifests, tools, workflowFiles);
    problems.sort(
        Comparator.comparing(ManifestProblem::file, ManifestReader::compareFiles)
            .thenComparingInt(ManifestProblem::line)
            .thenComparingInt(ManifestProblem::column));
    List<ManifestProblem> warnings = new ArrayList<>();
    Set<String> unregistered = new LinkedHashSet<>();
    if (lenientFunctions) unregisteredFunctions(workflows, workflowFiles, warnings, unregistered);
    return new Result(
        manifests,
        List.copyOf(problems),
        graphs,
        workflowFiles,
        configFile,
        warnings,
        unregistered);
  }

  /**
   * Adds a warning located at each {@code function:} of a {@code kind: function} node that names
   * none of the known functions, and the name to {@code names}.
   */
  private void unregisteredFunctions(
      Map<String, WorkflowSpec> workflows,
      Map<String, ManifestFile> files,
      List<ManifestProblem> warnings,
      Set<String> names) {
    for (WorkflowSpec wf : workflows.values()) {
      ManifestFile f = files.get(wf.id());
      List<NodeSpec> nodes = wf.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        NodeSpec n = nodes.get(i);
        String name = n.function();
        if (!FunctionNodeExecutor.KIND.equals(n.kind()) || name == null || functions.contains(name))
          continue;
        names.add(name);
        String message =
            "node '" + n.id() + "': " + FunctionNodeExecutor.notRegistered(name, functions);
        if (f == null) {
          warnings.add(new ManifestProblem("workflows/" + wf.id() + ".yml", 0, 0, message));
        } else {
          int[] loc = f.tree.locate("/nodes/" + i + "/function");
          warnings.add(f.at(loc[0], loc[1], message));
        }
      }
    }
  }

  /**
   * Reads every YAML file of {@code dir/sub} (none if {@code dir} is null), then every manifest
   * built in {@code code}, into records of {@code type}, by the name {@code key} gives (a second
   * manifest with a used name is reported at {@code keyPointer}); {@code files} receives each
   * record's file.
   */
  private <T> Map<String, T> readAll(
      @Nullable Path dir,
      List<CodeManifest> code,
      String sub,
      Class<T> type,
      Function<T, @Nullable String> key,
      String what,
      String keyPointer,
      Variables vars,
      List<ManifestProblem> problems,
      Map<String, ManifestFile> files) {
    Map<String, T> out = new LinkedHashMap<>();
    List<ManifestFile> all = new ArrayList<>();
    if (dir != null) {
      for (Path file : yamlFiles(dir.resolve(sub), problems, dir)) {
        all.add(new ManifestFile(rel(dir, file), file, problems));
      }
    }
    for (CodeManifest c : code) {
      all.add(new ManifestFile(c.map().origin(), c.yaml(), c.map(), problems));
    }
    for (ManifestFile f : all) {
      T value = binder.readFile(f, vars, type, false);
      String name = value == null ? null : key.apply(value);
      if (value == null || name == null) continue;
      if (out.containsKey(name)) {
        String used = what.equals("agent") ? "name" : "id";
        f.problem(
            keyPointer,
            what + " '" + name + "': the " + used + " is already used by " + files.get(name).rel);
        continue;
      }
      out.put(name, value);
      files.put(name, f);
    }
    return out;
  }

  /**
   * The agent with the schema of its {@code output.type} record in {@code output.schema}, or as it
   * is (with a problem) if the type cannot give one.
   */
  private static AgentSpec withOutputType(AgentSpec a, ManifestFile f) {
    AgentSpec.OutputSpec out = a.output();
    if (out == null || out.type() == null) return a;
    String subject = "agent '" + a.name() + "': output.type: ";
    if (out.schema() != null) {
      f.problem("/output/type", subject + "write output.schema or output.type, not both");
      return a;
    }
    Class<?> type;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      type =
          Class.forName(
              out.type(), false, loader != null ? loader : ManifestReader.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      f.problem(
          "/output/type",
          subject
              + "no class '"
              + out.type()
              + "' on the classpath (write the binary name of a record, com.acme.Review, or"
              + " Outer$Inner for a nested one)");
      return a;
    }
    try {
      JsonNode schema = RecordSchemas.of(type);
      return new AgentSpec(
          a.name(),
          a.description(),
          a.model(),
          a.system(),
          a.prompt(),
          a.tools(),
          a.temperature(),
          new AgentSpec.OutputSpec(schema, out.type()),
          a.budget(),
          a.stream(),
          a.maxToolRounds(),
          a.memory(),
          a.contextProfile(),
          a.tags());
    } catch (RecordSchemas.UnsupportedTypeException e) {
      f.problem("/output/type", subject + e.getMessage());
      return a;
    }
  }

  private Map<String, GraphChecker.GraphInfo> checkWorkflows(
      Manifests manifests, Map<String, ManifestFile> files) {
    Map<String, WorkflowSpec> workflows = manifests.workflows();
    Map<String, GraphChecker.GraphInfo> graphs = new HashMap<>();
    for (WorkflowSpec wf : workflows.values()) {
      ManifestFile f = files.get(wf.id());
      if (!WorkflowChecks.wellFormed(wf)) continue;
      graphs.put(wf.id(), new GraphChecker(wf, f::problem).check());
      workflowChecks.checkNodes(wf, f, manifests);
      if (wf.input() != null && wf.input().schema() != null) {
        f.checkSchema(
            "/input/schema", "workflow '" + wf.id() + "': input.schema", wf.input().schema());
      }
    }
    WorkflowChecks.checkSubWorkflowCycles(workflows, files);
    return graphs;
  }

  private static int compareFiles(String a, String b) {
    return Integer.compare(fileRank(a), fileRank(b)) != 0
        ? Integer.compare(fileRank(a), fileRank(b))
        : a.compareTo(b);
  }

  private static int fileRank(String f) {
    if (f.startsWith("config.")) return 0;
    if (f.startsWith("agents/")) return 1;
    if (f.startsWith("workflows/")) return 2;
    return 3;
  }

  private static @Nullable Path firstExisting(Path... candidates) {
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) return p;
    }
    return null;
  }

  private static String rel(Path dir, Path file) {
    return dir.relativize(file).toString().replace('\\', '/');
  }

  private static List<Path> yamlFiles(Path sub, List<ManifestProblem> problems, Path dir) {
    if (!Files.isDirectory(sub)) return List.of();
    try (Stream<Path> s = Files.list(sub)) {
      return s.filter(
              p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p) && (n.endsWith(".yml") || n.endsWith(".yaml"));
              })
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      problems.add(
          new ManifestProblem(rel(dir, sub), 0, 0, "cannot list the directory: " + e.getMessage()));
      return List.of();
    }
  }
}
