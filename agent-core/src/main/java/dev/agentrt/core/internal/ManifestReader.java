package dev.agentrt.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.JsonSchemas;
import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.manifest.WorkflowSpec;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Reads a configuration directory: YAML with locations, variable resolution, binding to records,
 * constraint validation, graph rules and references. Collects every problem instead of stopping at
 * the first.
 */
public final class ManifestReader {

  /** The node kinds that executors provide, and the first-party module of each known kind. */
  public interface KindCatalog {
    boolean available(String kind);

    Set<String> kinds();
  }

  /** The first-party kinds and the artifact that provides each. */
  static final Map<String, String> FIRST_PARTY_KINDS = Map.of(
      "agent", "dev.agentrt:agent-llm",
      "router", "dev.agentrt:agent-llm",
      "tool", "dev.agentrt:agent-tools");

  /** A class of each first-party module, to tell "add the dependency" from "this version lacks the kind". */
  static final Map<String, String> FIRST_PARTY_MARKERS = Map.of(
      "dev.agentrt:agent-llm", "dev.agentrt.llm.AgentNodeExecutor",
      "dev.agentrt:agent-tools", "dev.agentrt.tools.ToolBus");

  private static boolean onClasspath(@Nullable String className) {
    if (className == null) return false;
    try {
      Class.forName(className, false, ManifestReader.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Kinds the engine runs itself. */
  public static final Set<String> BUILT_IN_KINDS = Set.of("function", "transform", "workflow");

  /** State roots besides node ids. */
  static final Set<String> SPECIAL_ROOTS = Set.of("input", "$loops", "$resume", "$error", "$item", "$index");

  /** The default limit of one manifest file's size: 1 MiB. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 1L << 20;

  private static final String MANIFEST_LIMIT_HINT =
      " for a manifest (split it, or raise AgentRuntime.Builder.maxManifestBytes)";

  private final Function<String, @Nullable String> env;
  private final KindCatalog kinds;
  private final Set<String> functions;
  private final long maxManifestBytes;

  /** Starts building the constraint validator in the background, so it is ready when needed. */
  public static void prewarmValidation() {
    Validators.prewarm();
  }

  public ManifestReader(Function<String, @Nullable String> env, KindCatalog kinds, Set<String> functions) {
    this(env, kinds, functions, DEFAULT_MAX_MANIFEST_BYTES);
  }

  /** @param maxManifestBytes the largest manifest file (and {@code ${file:...}} value) read, in bytes */
  public ManifestReader(Function<String, @Nullable String> env, KindCatalog kinds, Set<String> functions,
      long maxManifestBytes) {
    this.env = env;
    this.kinds = kinds;
    this.functions = functions;
    this.maxManifestBytes = maxManifestBytes;
    Validators.prewarm();
  }

  /** The outcome of reading: manifests (null if the directory could not be read at all) and problems. */
  public static final class Result {
    private final @Nullable Manifests manifests;
    private final List<ManifestProblem> problems;
    final Map<String, GraphChecker.GraphInfo> graphs;
    private final Map<String, FileCtx> workflowFiles;
    private final @Nullable FileCtx configFile;

    Result(@Nullable Manifests manifests, List<ManifestProblem> problems, Map<String, GraphChecker.GraphInfo> graphs,
        Map<String, FileCtx> workflowFiles, @Nullable FileCtx configFile) {
      this.manifests = manifests;
      this.problems = problems;
      this.graphs = graphs;
      this.workflowFiles = workflowFiles;
      this.configFile = configFile;
    }

    public @Nullable Manifests manifests() {
      return manifests;
    }

    public List<ManifestProblem> problems() {
      return problems;
    }

    /** The merge node closing each branch and split of a workflow. */
    public Map<String, String> mergeOf(String workflowId) {
      GraphChecker.GraphInfo g = graphs.get(workflowId);
      return g == null ? Map.of() : g.mergeOf();
    }

    /**
     * A problem located at a key of config.yml (or its nearest ancestor in the file), the dotted key
     * written before the message: {@code policy.tools.http.read_timeout: ...}.
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
    public ManifestProblem problemAt(String workflowId, String nodeId, String field, String message) {
      FileCtx f = workflowFiles.get(workflowId);
      WorkflowSpec wf = manifests == null ? null : manifests.workflows().get(workflowId);
      if (f == null || wf == null) return new ManifestProblem("workflows/" + workflowId + ".yml", 0, 0, message);
      int i = 0;
      for (; i < wf.nodes().size(); i++) {
        if (wf.nodes().get(i).id().equals(nodeId)) break;
      }
      String ptr = "/nodes/" + i + "/" + field;
      int[] loc = f.tree.locate(ptr);
      return new ManifestProblem(f.rel, loc[0], loc[1], "node '" + nodeId + "': " + message);
    }
  }

  /** One file being read, and the problems found in it. */
  static final class FileCtx {
    final String rel;
    final Path path;
    LocatedTree tree = LocatedTree.read("", new ArrayList<>());
    byte[] bytes = new byte[0];
    final List<ManifestProblem> problems;
    /** Pointers of the mappings that had an unknown key (likely a misspelt key the later checks would miss). */
    final Set<String> withUnknownKey = new HashSet<>();

    FileCtx(String rel, Path path, List<ManifestProblem> problems) {
      this.rel = rel;
      this.path = path;
      this.problems = problems;
    }

    void problem(String pointer, String message) {
      int[] loc = tree.locate(pointer);
      problems.add(new ManifestProblem(rel, loc[0], loc[1], message));
    }

    void problemAtLine(int line, int col, String message) {
      problems.add(new ManifestProblem(rel, line, col, message));
    }
  }

  public Result read(Path dir) {
    List<ManifestProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(new ManifestProblem(dir.toString(), 0, 0,
          "configuration directory does not exist (create it, or point --config at the directory holding config.yml, agents/ and workflows/)"));
      return new Result(null, problems, Map.of(), Map.of(), null);
    }
    Set<String> secrets = new LinkedHashSet<>();
    Variables vars = new Variables(env, dir, secrets, maxManifestBytes);

    RuntimeConfig config = RuntimeConfig.EMPTY;
    Path configFile = firstExisting(dir.resolve("config.yml"), dir.resolve("config.yaml"));
    FileCtx configCtx = null;
    // config.yml exists but could not be read: what it would define is unknown, so references to it
    // (an agent's model) are not reported as missing
    boolean configUnreadable = false;
    if (configFile != null) {
      FileCtx f = new FileCtx(rel(dir, configFile), configFile, problems);
      configCtx = f;
      int before = problems.size();
      RuntimeConfig c = readFile(f, vars, RuntimeConfig.class, true);
      if (c != null) config = c;
      configUnreadable = c == null && problems.size() > before;
    }

    if (configFile != null && config != RuntimeConfig.EMPTY) checkConfig(config, configCtx);

    Map<String, AgentSpec> agents = new LinkedHashMap<>();
    Map<String, FileCtx> agentFiles = new HashMap<>();
    for (Path file : yamlFiles(dir.resolve("agents"), problems, dir)) {
      FileCtx f = new FileCtx(rel(dir, file), file, problems);
      AgentSpec a = readFile(f, vars, AgentSpec.class, false);
      if (a == null || a.name() == null) continue;
      if (agents.containsKey(a.name())) {
        f.problem("/name", "agent '" + a.name() + "': the name is already used by " + agentFiles.get(a.name()).rel);
        continue;
      }
      agents.put(a.name(), a);
      agentFiles.put(a.name(), f);
    }
    checkAgents(dir, configUnreadable ? null : config, agents, agentFiles);

    Map<String, WorkflowSpec> workflows = new LinkedHashMap<>();
    Map<String, FileCtx> workflowFiles = new LinkedHashMap<>();
    for (Path file : yamlFiles(dir.resolve("workflows"), problems, dir)) {
      FileCtx f = new FileCtx(rel(dir, file), file, problems);
      WorkflowSpec w = readFile(f, vars, WorkflowSpec.class, false);
      if (w == null || w.id() == null) continue;
      if (workflows.containsKey(w.id())) {
        f.problem("/id", "workflow '" + w.id() + "': the id is already used by " + workflowFiles.get(w.id()).rel);
        continue;
      }
      workflows.put(w.id(), w);
      workflowFiles.put(w.id(), f);
    }

    Map<String, GraphChecker.GraphInfo> graphs = new HashMap<>();
    for (Map.Entry<String, WorkflowSpec> e : workflows.entrySet()) {
      FileCtx f = workflowFiles.get(e.getKey());
      WorkflowSpec wf = e.getValue();
      if (!wellFormed(wf)) continue;
      graphs.put(wf.id(), new GraphChecker(wf, f::problem).check());
      checkNodes(wf, f, agents, workflows.keySet());
      if (wf.input() != null && wf.input().schema() != null) {
        checkSchema(f, "/input/schema", "workflow '" + wf.id() + "': input.schema", wf.input().schema());
      }
    }
    checkSubWorkflowCycles(workflows, workflowFiles);

    Map<String, String> hashes = new HashMap<>();
    for (String id : workflows.keySet()) {
      hashes.put(id, hash(dir, id, workflows, workflowFiles, agents, agentFiles));
    }
    problems.sort(Comparator.comparing(ManifestProblem::file, ManifestReader::compareFiles)
        .thenComparingInt(ManifestProblem::line).thenComparingInt(ManifestProblem::column));
    Manifests manifests = new Manifests(dir, config, agents, workflows, hashes, secrets);
    return new Result(manifests, List.copyOf(problems), graphs, workflowFiles, configCtx);
  }

  private static int compareFiles(String a, String b) {
    return Integer.compare(fileRank(a), fileRank(b)) != 0 ? Integer.compare(fileRank(a), fileRank(b)) : a.compareTo(b);
  }

  private static int fileRank(String f) {
    if (f.startsWith("config.")) return 0;
    if (f.startsWith("agents/")) return 1;
    if (f.startsWith("workflows/")) return 2;
    return 3;
  }

  private static boolean wellFormed(WorkflowSpec wf) {
    for (NodeSpec n : wf.nodes()) {
      if (n == null || n.id() == null) return false;
    }
    for (EdgeSpec e : wf.edges()) {
      if (e == null || e.from() == null || e.to() == null) return false;
    }
    return !wf.nodes().isEmpty();
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
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yml") || n.endsWith(".yaml"));
      }).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      problems.add(new ManifestProblem(rel(dir, sub), 0, 0, "cannot list the directory: " + e.getMessage()));
      return List.of();
    }
  }

  private <T> @Nullable T readFile(FileCtx f, Variables vars, Class<T> type, boolean emptyOk) {
    String text;
    try {
      text = BoundedText.read(f.path, maxManifestBytes, MANIFEST_LIMIT_HINT);
      f.bytes = text.getBytes(StandardCharsets.UTF_8);
    } catch (BoundedText.Problem e) {
      f.problemAtLine(e.line, e.column, e.getMessage());
      return null;
    } catch (IOException e) {
      f.problemAtLine(0, 0, "cannot read the file: " + e.getMessage());
      return null;
    }
    List<String> duplicates = new ArrayList<>();
    try {
      f.tree = LocatedTree.read(text, duplicates);
    } catch (LocatedTree.YamlSyntaxException e) {
      f.problemAtLine(e.line, e.column, "invalid YAML: " + e.getMessage());
      return null;
    }
    for (String d : duplicates) {
      String key = d.substring(d.lastIndexOf('/') + 1);
      String where = f.tree.root == null ? "" : subject(f.tree.root, d);
      if (where.endsWith(".")) where = where.substring(0, where.length() - 1) + ": ";
      f.problem(d, where + "duplicate key '" + unescape(key)
          + "' (remove one; the later value would win)");
    }
    JsonNode root = f.tree.root;
    if (root == null || root.isNull()) {
      if (!emptyOk) f.problemAtLine(0, 0, "the file is empty (write the manifest, or delete the file)");
      return null;
    }
    if (!root.isObject()) {
      f.problem("", "expected a mapping of keys to values at the top level, found " + kindOf(root));
      return null;
    }
    int before = f.problems.size();
    // name the key whose value could not be resolved: "models.default.api_key: environment variable ..."
    vars.resolve(root, "", null, (ptr, message) -> f.problem(ptr, subject(root, ptr)
        + unescape(ptr.substring(ptr.lastIndexOf('/') + 1)) + ": " + message));
    T value = bind(f, (ObjectNode) root, type);
    if (value == null) return null;
    if (f.problems.size() == before) {
      for (ConstraintViolation<T> v : Validators.get().validate(value)) {
        String ptr = pointer(v.getPropertyPath());
        Object invalid = v.getInvalidValue();
        String found = invalid == null ? "" : (invalid instanceof CharSequence || invalid instanceof Number
            || invalid instanceof Boolean) ? " (found '" + invalid + "')" : "";
        String field = ptr.substring(ptr.lastIndexOf('/') + 1);
        f.problem(ptr, subject(root, ptr) + field + ": " + (invalid == null ? "is required" + explain(v.getMessage()) : v.getMessage() + found));
      }
    }
    return value;
  }

  /** A constraint's own message as the fix of "is required", unless it is a Bean Validation default. */
  private static String explain(String message) {
    return message.startsWith("must not be") ? "" : " (" + message + ")";
  }

  private static String kindOf(JsonNode n) {
    if (n.isArray()) return "a list";
    if (n.isTextual()) return "a string";
    if (n.isNumber()) return "a number";
    if (n.isBoolean()) return "a boolean";
    if (n.isObject()) return "a mapping";
    return "null";
  }

  /** "node 'x': " / "edge 'a -> b': " / "" for a pointer, plus the parent path of the field. */
  static String subject(JsonNode root, String ptr) {
    String[] parts = ptr.split("/");
    // parts[0] is "" for a leading slash
    StringBuilder sb = new StringBuilder();
    int start = 1;
    if (parts.length > 2 && (parts[1].equals("nodes") || parts[1].equals("edges")) && isIndex(parts[2])) {
      JsonNode el = root.path(parts[1]).path(Integer.parseInt(parts[2]));
      if (parts[1].equals("nodes")) {
        sb.append("node '").append(el.path("id").asText("#" + parts[2])).append("': ");
      } else {
        sb.append("edge '").append(el.path("from").asText("?")).append(" -> ").append(el.path("to").asText("?")).append("': ");
      }
      start = 3;
    }
    for (int i = start; i < parts.length - 1; i++) {
      sb.append(isIndex(parts[i]) ? "[" + parts[i] + "]" : (i > start ? "." : "") + unescape(parts[i]));
      if (i == parts.length - 2) sb.append('.');
    }
    return sb.toString();
  }

  private static String unescape(String s) {
    return s.replace("~1", "/").replace("~0", "~");
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  private static String pointer(jakarta.validation.Path path) {
    StringBuilder sb = new StringBuilder();
    for (Node n : path) {
      if (n.isInIterable()) {
        if (n.getIndex() != null) sb.append('/').append(n.getIndex());
        else if (n.getKey() != null) sb.append('/').append(LocatedTree.escape(String.valueOf(n.getKey())));
      }
      if (n.getKind() == ElementKind.CONTAINER_ELEMENT || n.getName() == null || n.getName().startsWith("<")) continue;
      sb.append('/').append(snake(n.getName()));
    }
    return sb.toString();
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) sb.append('_').append(Character.toLowerCase(c));
      else sb.append(c);
    }
    return sb.toString();
  }

  private static String currentPointer(JsonParser p) {
    String ptr = p.getParsingContext().pathAsPointer().toString();
    // a mapping value of a top-level key renders as "//key": the key's pointer is "/key"
    return ptr.startsWith("//") ? ptr.substring(1) : ptr;
  }

  private <T> @Nullable T bind(FileCtx f, ObjectNode root, Class<T> type) {
    DeserializationProblemHandler handler = new DeserializationProblemHandler() {
      @Override
      public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
          Object beanOrClass, String propertyName) throws IOException {
        String ptr = currentPointer(p);
        if (!ptr.endsWith("/" + LocatedTree.escape(propertyName))) ptr = ptr + "/" + LocatedTree.escape(propertyName);
        Collection<Object> known = deserializer.getKnownPropertyNames();
        List<String> names = known == null ? List.of() : known.stream().map(String::valueOf).sorted().collect(Collectors.toList());
        String hint = Suggest.didYouMean(propertyName, names);
        if (hint.isEmpty() && !names.isEmpty()) hint = " (known keys: " + String.join(", ", names) + ")";
        f.problem(ptr, subject(root, ptr) + "unknown key '" + propertyName + "'" + hint);
        f.withUnknownKey.add(ptr.substring(0, ptr.lastIndexOf('/')));
        p.skipChildren();
        return true;
      }

      @Override
      public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
        String ptr = currentPointer(ctxt.getParser());
        String field = ptr.substring(ptr.lastIndexOf('/') + 1);
        String msg;
        if (targetType.isEnum()) {
          List<String> allowed = Arrays.stream(targetType.getEnumConstants())
              .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
          String hint = Suggest.didYouMean(value, allowed);
          msg = "'" + value + "' is not one of " + String.join(", ", allowed) + hint;
        } else if (targetType == java.time.Duration.class || isStrictScalar(targetType)) {
          msg = failureMsg;
        } else {
          msg = "'" + value + "' is not " + article(targetType);
        }
        f.problem(ptr, subject(root, ptr) + field + ": " + msg);
        return placeholder(targetType);
      }

      @Override
      public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
          String failureMsg) {
        String ptr = currentPointer(ctxt.getParser());
        String field = ptr.substring(ptr.lastIndexOf('/') + 1);
        f.problem(ptr, subject(root, ptr) + field + ": " + failureMsg);
        return placeholder(targetType);
      }

      @Override
      public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType,
          com.fasterxml.jackson.core.JsonToken t, JsonParser p, String failureMsg) throws IOException {
        String ptr = currentPointer(p);
        String field = ptr.substring(ptr.lastIndexOf('/') + 1);
        String expected = targetType.isCollectionLikeType() ? "a list"
            : targetType.isMapLikeType() || targetType.isRecordType() ? "a mapping" : article(targetType.getRawClass());
        f.problem(ptr, subject(root, ptr) + field + ": expected " + expected + ", found " + tokenKind(t));
        p.skipChildren();
        return placeholder(targetType.getRawClass());
      }
    };
    try {
      return Json.MANIFEST_MAPPER.readerFor(type).withHandler(handler).readValue(root);
    } catch (JsonMappingException e) {
      String ptr = e.getPath().stream().map(r -> r.getFieldName() != null ? LocatedTree.escape(r.getFieldName())
          : String.valueOf(r.getIndex())).collect(Collectors.joining("/", "/", ""));
      if (ptr.equals("/")) ptr = "";
      String msg = e.getOriginalMessage();
      int cut = msg.indexOf('\n');
      if (cut > 0) msg = msg.substring(0, cut);
      String field = ptr.substring(ptr.lastIndexOf('/') + 1);
      f.problem(ptr, subject(root, ptr) + field + ": " + msg);
      return null;
    } catch (IOException e) {
      f.problemAtLine(0, 0, "cannot read the file: " + e.getMessage());
      return null;
    }
  }

  private static boolean isStrictScalar(Class<?> t) {
    return t == Long.class || t == long.class || t == Integer.class || t == int.class || t == Double.class
        || t == double.class || t == Boolean.class || t == boolean.class;
  }

  /**
   * The value bound in place of one that was reported: null, or a zero of a primitive type (the
   * record is discarded, since the file has a problem).
   */
  private static @Nullable Object placeholder(Class<?> t) {
    if (!t.isPrimitive()) return null;
    if (t == boolean.class) return Boolean.FALSE;
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == double.class) return 0.0;
    return null;
  }

  private static String tokenKind(com.fasterxml.jackson.core.JsonToken t) {
    switch (t) {
      case START_ARRAY: return "a list";
      case START_OBJECT: return "a mapping";
      case VALUE_STRING: return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE: return "a boolean";
      default: return "null";
    }
  }

  private static String article(Class<?> t) {
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "a whole number";
    if (t == Double.class || t == double.class || t == Float.class) return "a number";
    if (t == Boolean.class || t == boolean.class) return "true or false";
    if (t == String.class) return "a string";
    return "a valid " + t.getSimpleName();
  }

  /** Providers whose models cannot be called without a credential, and the variable that usually holds it. */
  static final Map<String, String> KEYED_PROVIDERS = Map.of("openai", "OPENAI_API_KEY", "anthropic", "ANTHROPIC_API_KEY");

  /** What config.yml's records cannot say alone. */
  private static void checkConfig(RuntimeConfig config, FileCtx f) {
    for (Map.Entry<String, dev.agentrt.core.manifest.ModelSpec> e : config.modelsOrEmpty().entrySet()) {
      dev.agentrt.core.manifest.ModelSpec m = e.getValue();
      if (m == null || m.provider() == null) continue;
      String envName = KEYED_PROVIDERS.get(m.provider());
      if (envName != null && m.apiKey() == null) {
        f.problem("/models/" + LocatedTree.escape(e.getKey()), "models." + e.getKey() + ": provider '" + m.provider()
            + "' needs api_key: (write api_key: ${env:" + envName + "})");
      }
    }
  }

  /** @param config null when config.yml could not be read: model references are then not checked */
  private void checkAgents(Path dir, @Nullable RuntimeConfig config, Map<String, AgentSpec> agents,
      Map<String, FileCtx> files) {
    Set<String> models = config == null ? Set.of() : config.modelsOrEmpty().keySet();
    for (AgentSpec a : agents.values()) {
      FileCtx f = files.get(a.name());
      String subject = "agent '" + a.name() + "': ";
      if (config != null && a.model() != null && !models.contains(a.model())) {
        f.problem("/model", subject + "model '" + a.model() + "' is not defined in config.yml models"
            + (models.isEmpty() ? " (add a models: section)" : Suggest.didYouMean(a.model(), models).isEmpty()
                ? " (known: " + String.join(", ", new TreeSet<>(models)) + ")" : Suggest.didYouMean(a.model(), models)));
      }
      if (a.system() != null && !Files.isRegularFile(dir.resolve(a.system()))) {
        f.problem("/system", subject + "system prompt file '" + a.system() + "' does not exist (paths are relative to "
            + dir + ")");
      }
      if (a.output() != null && a.output().schema() != null) {
        checkSchema(f, "/output/schema", subject + "output.schema", a.output().schema());
      }
    }
  }

  /**
   * A JSON Schema in a manifest is checked against the draft 2020-12 meta-schema at load (a
   * misspelt {@code type: obj} would otherwise surface only when a value is validated, after the
   * run or the model was paid for); each problem is located at the offending value.
   */
  private static void checkSchema(FileCtx f, String pointer, String subject, JsonNode schema) {
    for (JsonSchemas.Problem p : JsonSchemas.problems(schema)) {
      f.problem(pointer + p.pointer(), subject + " is not a valid JSON Schema (draft 2020-12): " + p);
    }
  }

  private void checkNodes(WorkflowSpec wf, FileCtx f, Map<String, AgentSpec> agents, Set<String> workflowIds) {
    Set<String> roots = new HashSet<>(SPECIAL_ROOTS);
    for (NodeSpec n : wf.nodes()) roots.add(n.id());
    List<NodeSpec> nodes = wf.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec n = nodes.get(i);
      String ptr = "/nodes/" + i;
      String subject = "node '" + n.id() + "': ";
      String kind = n.kind();
      // an unknown kind (likely misspelt) or key: report that, not the keys that then seem out of place or missing
      boolean kindKnown = kind == null || BUILT_IN_KINDS.contains(kind) || kinds.available(kind)
          || FIRST_PARTY_KINDS.containsKey(kind);
      boolean misspeltKey = f.withUnknownKey.contains(ptr);
      if (kind != null) {
        if (!BUILT_IN_KINDS.contains(kind) && !kinds.available(kind)) {
          String module = FIRST_PARTY_KINDS.get(kind);
          if (module != null && onClasspath(FIRST_PARTY_MARKERS.get(module))) {
            f.problem(ptr + "/kind", subject + "kind '" + kind + "' has no executor: " + module + " is on the classpath"
                + " but this version does not provide kind '" + kind + "'");
          } else if (module != null) {
            f.problem(ptr + "/kind", subject + "kind '" + kind + "' has no executor on the classpath (add dependency "
                + module + ")");
          } else {
            Set<String> known = new TreeSet<>(BUILT_IN_KINDS);
            known.addAll(kinds.kinds());
            known.addAll(FIRST_PARTY_KINDS.keySet());
            String hint = Suggest.didYouMean(kind, known);
            f.problem(ptr + "/kind", subject + "unknown kind '" + kind + "'" + (hint.isEmpty()
                ? " (known kinds: " + String.join(", ", known) + ")" : hint));
          }
        }
      }
      if (kindKnown) {
        applies(f, ptr, subject, "template", n.template() != null, "transform".equals(kind), "kind transform");
        applies(f, ptr, subject, "function", n.function() != null, "function".equals(kind), "kind function");
        applies(f, ptr, subject, "workflow", n.workflow() != null, "workflow".equals(kind), "kind workflow");
        applies(f, ptr, subject, "agent", n.agent() != null, "agent".equals(kind) || "router".equals(kind), "kinds agent and router");
        applies(f, ptr, subject, "tool", n.tool() != null, "tool".equals(kind), "kind tool");
        applies(f, ptr, subject, "args", n.args() != null, "tool".equals(kind), "kind tool");
      }
      if ("transform".equals(kind) && n.template() == null && !misspeltKey) {
        f.problem(ptr, subject + "kind transform needs template: (the value to build from state)");
      }
      if ("function".equals(kind)) {
        if (n.function() == null) {
          if (!misspeltKey) f.problem(ptr, subject + "kind function needs function: (the name of a function registered on the builder)");
        } else if (!functions.contains(n.function())) {
          String hint = Suggest.didYouMean(n.function(), functions);
          f.problem(ptr + "/function", subject + "function '" + n.function() + "' is not registered" + (hint.isEmpty()
              ? " (register it with AgentRuntime.builder().function(\"" + n.function() + "\", ...))" : hint));
        }
      }
      if ("workflow".equals(kind)) {
        if (n.workflow() == null) {
          if (!misspeltKey) f.problem(ptr, subject + "kind workflow needs workflow: (the id of the sub-workflow)");
        } else if (!workflowIds.contains(n.workflow())) {
          f.problem(ptr + "/workflow", subject + "no workflow '" + n.workflow() + "'" + Suggest.didYouMean(n.workflow(), workflowIds));
        }
      }
      if (("agent".equals(kind) || "router".equals(kind)) && "agent".equals(kind) && n.agent() == null && !misspeltKey) {
        f.problem(ptr, subject + "kind agent needs agent: (the name of an agent in agents/)");
      }
      if (n.agent() != null && !agents.containsKey(n.agent())) {
        f.problem(ptr + "/agent", subject + "no agent '" + n.agent() + "'" + Suggest.didYouMean(n.agent(), agents.keySet()));
      }
      if ("tool".equals(kind) && n.tool() == null && !misspeltKey) {
        f.problem(ptr, subject + "kind tool needs tool: (the name of the tool to call)");
      }
      checkTemplate(f, ptr + "/template", subject, n.template(), roots);
      checkTemplate(f, ptr + "/args", subject, n.args(), roots);
      checkTemplate(f, ptr + "/output", subject, n.output(), roots);
      if (n.input() != null) {
        for (Map.Entry<String, String> e : n.input().entrySet()) {
          checkPath(f, ptr + "/input/" + LocatedTree.escape(e.getKey()), subject, e.getValue(), roots);
        }
      }
      if (n.items() != null) checkPath(f, ptr + "/items", subject, n.items(), roots);
      if (n.route() != null) {
        try {
          StatePath.parse(n.route());
        } catch (IllegalArgumentException e) {
          f.problem(ptr + "/route", subject + "route: " + e.getMessage());
        }
      }
      if (n.interrupt() != null && n.roleOrDefault() == Role.START) {
        f.problem(ptr + "/interrupt", subject + "interrupt: does not apply to the start node (put it on the first node after start)");
      }
    }
  }

  private static void applies(FileCtx f, String ptr, String subject, String key, boolean present, boolean ok, String what) {
    if (present && !ok) f.problem(ptr + "/" + key, subject + key + ": applies to " + what + " only");
  }

  private static void checkTemplate(FileCtx f, String ptr, String subject, @Nullable JsonNode value, Set<String> roots) {
    if (value == null) return;
    try {
      Template.compile(value).paths(p -> checkRoot(f, ptr, subject, p, roots));
    } catch (IllegalArgumentException e) {
      f.problem(ptr, subject + "template: " + e.getMessage());
    }
  }

  private static void checkPath(FileCtx f, String ptr, String subject, String path, Set<String> roots) {
    try {
      checkRoot(f, ptr, subject, StatePath.parse(path), roots);
    } catch (IllegalArgumentException e) {
      f.problem(ptr, subject + e.getMessage());
    }
  }

  private static void checkRoot(FileCtx f, String ptr, String subject, StatePath p, Set<String> roots) {
    if (!roots.contains(p.root)) {
      String hint = Suggest.didYouMean(p.root, roots);
      f.problem(ptr, subject + "path '" + p.text + "': state has no '" + p.root + "'" + (hint.isEmpty()
          ? " (paths start with input, a node id, $loops, $resume, $error, $item or $index)" : hint));
    }
  }

  private static void checkSubWorkflowCycles(Map<String, WorkflowSpec> workflows, Map<String, FileCtx> files) {
    Map<String, Integer> color = new HashMap<>();
    for (String id : workflows.keySet()) {
      // after a cycle the colouring is unfinished: report that one cycle and stop
      if (!cycleSearch(id, workflows, files, color)) return;
    }
  }

  /**
   * Depth-first search for a cycle of sub-workflow calls from {@code root}, iterative (a chain of
   * thousands of workflow files cannot overflow the stack): colour 1 = on the current path, 2 = done.
   * Reports the first cycle found at the node that closes it and returns false.
   */
  private static boolean cycleSearch(String root, Map<String, WorkflowSpec> workflows, Map<String, FileCtx> files,
      Map<String, Integer> color) {
    if (color.getOrDefault(root, 0) == 2 || !workflows.containsKey(root)) return true;
    List<String> path = new ArrayList<>();
    List<int[]> nextNode = new ArrayList<>();
    color.put(root, 1);
    path.add(root);
    nextNode.add(new int[] {0});
    while (!path.isEmpty()) {
      int top = path.size() - 1;
      String id = path.get(top);
      List<NodeSpec> nodes = workflows.get(id).nodes();
      int i = nextNode.get(top)[0]++;
      if (i >= nodes.size()) {
        color.put(id, 2);
        path.remove(top);
        nextNode.remove(top);
        continue;
      }
      NodeSpec n = nodes.get(i);
      if (n == null || !"workflow".equals(n.kind()) || n.workflow() == null) continue;
      String sub = n.workflow();
      int c = color.getOrDefault(sub, 0);
      if (c == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(sub), path.size()));
        cycle.add(sub);
        files.get(id).problem("/nodes/" + i + "/workflow", "node '" + n.id() + "': sub-workflows call each other in a cycle: "
            + String.join(" -> ", cycle) + " (a workflow cannot run itself, directly or through others)");
        return false;
      }
      if (c == 2 || !workflows.containsKey(sub)) continue;
      color.put(sub, 1);
      path.add(sub);
      nextNode.add(new int[] {0});
    }
    return true;
  }

  private static String hash(Path dir, String id, Map<String, WorkflowSpec> workflows, Map<String, FileCtx> wfFiles,
      Map<String, AgentSpec> agentSpecs, Map<String, FileCtx> agentFiles) {
    Set<String> wfs = new TreeSet<>();
    Set<String> ags = new TreeSet<>();
    collect(id, workflows, wfs, ags);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String w : wfs) {
        md.update(("workflow:" + w + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(wfFiles.get(w).bytes);
      }
      for (String a : ags) {
        FileCtx f = agentFiles.get(a);
        if (f == null) continue;
        md.update(("agent:" + a + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(f.bytes);
        AgentSpec spec = agentSpecs.get(a);
        if (spec != null && spec.system() != null) {
          // the system prompt shapes every LLM request: a changed prompt is a changed workflow
          md.update(("prompt:" + spec.system() + "\n").getBytes(StandardCharsets.UTF_8));
          Path prompt = dir.resolve(spec.system());
          // only a regular file is read (a FIFO would block); others are reported by checkAgents
          if (Files.isRegularFile(prompt)) {
            try (java.io.InputStream in = Files.newInputStream(prompt)) {
              byte[] buf = new byte[8192];
              for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            } catch (IOException e) {
              md.update(new byte[] {0});
            }
          } else {
            md.update(new byte[] {0});
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** The workflows {@code id} runs, itself included, and the agents they use, into the two sets (iterative). */
  private static void collect(String id, Map<String, WorkflowSpec> workflows, Set<String> wfs, Set<String> ags) {
    Deque<String> todo = new ArrayDeque<>();
    todo.push(id);
    while (!todo.isEmpty()) {
      String w = todo.pop();
      WorkflowSpec wf = workflows.get(w);
      if (wf == null || !wfs.add(w)) continue;
      for (NodeSpec n : wf.nodes()) {
        if (n == null) continue;
        if (n.agent() != null) ags.add(n.agent());
        if (n.workflow() != null) todo.push(n.workflow());
      }
    }
  }
}
