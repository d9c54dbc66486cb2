package dev.agentrt.testkit.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.LocatedYaml;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.spi.JsonSchemas;
import dev.agentrt.core.spi.Suggestions;
import dev.agentrt.testkit.TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Reads and checks {@code evals/*.yml}, collecting every problem. */
final class EvalLoader {
  private static final ObjectMapper PLAIN = new ObjectMapper(new YAMLFactory());

  static final List<String> CASE_KEYS =
      List.of(
          "name",
          "description",
          "workflow",
          "input",
          "models",
          "workspace",
          "store",
          "runs",
          "pass_rate",
          "expect");
  static final List<String> EXPECT_KEYS =
      List.of("status", "reason", "output", "steps", "max_cost_usd", "max_llm_calls");
  static final List<String> CHECKS = List.of("equals", "contains", "matches", "schema_valid");

  private final Path configDir;
  private final List<String> workflows;
  private final List<String> knownModels;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, String> names = new HashMap<>();
  private String file = "";
  private LocatedYaml doc;

  EvalLoader(Path configDir) {
    this.configDir = configDir;
    if (!Files.isDirectory(configDir)) {
      throw new EvalException(
          List.of(configDir + ": configuration directory not found (give the .agent directory)"));
    }
    this.workflows = workflowIds(configDir.resolve("workflows"));
    this.knownModels = modelKeys(configDir.resolve("config.yml"));
  }

  /** The {@code id:} of each workflow file (the full check is the runtime's). */
  private static List<String> workflowIds(Path dir) {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
          .map(EvalLoader::id)
          .filter(id -> id != null)
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static @Nullable String id(Path file) {
    try {
      JsonNode id = PLAIN.readTree(file.toFile()).path("id");
      return id.isTextual() ? id.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static List<String> modelKeys(Path config) {
    if (!Files.isRegularFile(config)) return List.of();
    try {
      List<String> keys = new ArrayList<>();
      PLAIN.readTree(config.toFile()).path("models").fieldNames().forEachRemaining(keys::add);
      return keys;
    } catch (IOException e) {
      return List.of();
    }
  }

  List<EvalCase> load() {
    Path dir = configDir.resolve("evals");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().endsWith(".yml") && Files.isRegularFile(p))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new EvalException(List.of("evals: cannot list " + dir + ": " + e.getMessage()));
      }
    }
    List<EvalCase> cases = new ArrayList<>();
    for (Path f : files) {
      int first = problems.size();
      readFile(f, cases);
      // in the file's order, as a compiler lists them
      problems.subList(first, problems.size()).sort(Comparator.comparingLong(EvalLoader::position));
    }
    if (!problems.isEmpty()) throw new EvalException(problems);
    return cases;
  }

  /** Line and column of a problem {@code file:line:col: message}, as one sortable number. */
  private static long position(String problem) {
    String[] parts = problem.split(":", 4);
    try {
      return Long.parseLong(parts[1]) * 100_000 + Long.parseLong(parts[2]);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private void readFile(Path f, List<EvalCase> cases) {
    file = "evals/" + f.getFileName();
    try {
      doc = ManifestLoader.readYaml(file, Files.readString(f));
    } catch (ManifestException e) {
      for (ManifestProblem p : e.problems()) {
        problems.add(file + ":" + p.line() + ":" + p.column() + ": " + p.message());
      }
      return;
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
      return;
    }
    for (String d : doc.duplicateKeys()) {
      String key = d.substring(d.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
      problem(d, "duplicate key '" + key + "' (remove one; the later value would win)", true);
    }
    JsonNode root = doc.root();
    if (!root.isObject()) {
      problem("", "must be a mapping with workflow: (or cases:)");
      return;
    }
    if (root.has("cases")) {
      keys(root, "", List.of("cases"));
      JsonNode list = root.get("cases");
      if (!list.isArray() || list.isEmpty()) {
        problem("/cases", "cases must be a non-empty list of cases, each with name:");
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        String at = "/cases/" + i;
        JsonNode c = list.get(i);
        if (!c.isObject()) {
          problem(at, "a case must be a mapping with name: and workflow:");
          continue;
        }
        String name = text(c, at + "/name", "name");
        if (name == null) {
          if (!c.has("name")) problem(at, "missing name: (each case under cases: needs one)");
          continue;
        }
        EvalCase ec = readCase(c, at, name, f);
        if (ec != null) cases.add(ec);
      }
    } else {
      String stem = f.getFileName().toString();
      stem = stem.substring(0, stem.length() - ".yml".length());
      if (root.has("name"))
        problem(
            "/name",
            "name: is only for cases under cases: (this case is named after its file, '"
                + stem
                + "')",
            true);
      EvalCase ec = readCase(root, "", stem, f);
      if (ec != null) cases.add(ec);
    }
  }

  private @Nullable EvalCase readCase(JsonNode c, String at, String name, Path f) {
    int before = problems.size();
    String previous =
        names.putIfAbsent(name, file + ":" + doc.locate(at.isEmpty() ? "" : at + "/name"));
    if (previous != null) {
      problem(
          at.isEmpty() ? "" : at + "/name",
          "duplicate case name '" + name + "' (also at " + previous + ")");
    }
    keys(c, at, CASE_KEYS);
    String description = text(c, at + "/description", "description");
    String workflow = text(c, at + "/workflow", "workflow");
    if (workflow == null && !c.has("workflow")) {
      problem(at, "missing workflow: (one of: " + String.join(", ", workflows()) + ")");
    } else if (workflow != null && !workflows.contains(workflow)) {
      problem(
          at + "/workflow",
          "unknown workflow '"
              + workflow
              + "'"
              + Suggestions.didYouMean(workflow, workflows())
              + " (workflows: "
              + String.join(", ", workflows())
              + ")");
    }
    JsonNode input = c.has("input") ? c.get("input") : NullNode.getInstance();
    Map<String, String> models = new LinkedHashMap<>();
    JsonNode m = c.get("models");
    if (m != null) {
      if (!m.isObject()) {
        problem(at + "/models", "models must be a mapping: model key -> script path");
      } else {
        List<String> known = knownModels;
        for (Map.Entry<String, JsonNode> e : m.properties()) {
          String p = at + "/models/" + e.getKey();
          if (!known.contains(e.getKey())) {
            problem(
                p,
                "unknown model '"
                    + e.getKey()
                    + "'"
                    + Suggestions.didYouMean(e.getKey(), known)
                    + " (config.yml models: "
                    + (known.isEmpty() ? "none" : String.join(", ", known))
                    + ")",
                true);
            continue;
          }
          String script = text(c.get("models"), p, e.getKey());
          if (script == null) continue;
          if (!Files.isRegularFile(configDir.resolve(script))) {
            problem(
                p,
                "script '"
                    + script
                    + "' not found (a path relative to the configuration directory)");
            continue;
          }
          models.put(e.getKey(), script);
        }
      }
    }
    Path workspace = null;
    String ws = text(c, at + "/workspace", "workspace");
    if (ws != null) {
      workspace = configDir.resolve(ws).normalize();
      if (!Files.isDirectory(workspace)) {
        problem(
            at + "/workspace",
            "workspace '" + ws + "' is not a directory (relative to " + configDir + ")");
      }
    }
    TestStore store = TestStore.MEMORY;
    String st = text(c, at + "/store", "store");
    if (st != null) {
      try {
        store = TestStore.valueOf(st.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(at + "/store", "store must be memory or sqlite, not '" + st + "'");
      }
    }
    int runs = 1;
    JsonNode r = c.get("runs");
    if (r != null) {
      if (!r.isIntegralNumber() || r.asLong() < 1 || r.asLong() > 1000) {
        problem(at + "/runs", "runs must be a whole number from 1 to 1000, not " + r);
      } else {
        runs = r.asInt();
      }
    }
    double passRate = 1.0;
    JsonNode pr = c.get("pass_rate");
    if (pr != null) {
      if (!pr.isNumber() || pr.asDouble() <= 0 || pr.asDouble() > 1) {
        problem(at + "/pass_rate", "pass_rate must be a number in (0, 1], such as 0.8, not " + pr);
      } else {
        passRate = pr.asDouble();
      }
    }
    EvalCase.Expect expect = readExpect(c.get("expect"), at + "/expect");
    if (problems.size() > before || workflow == null) return null;
    return new EvalCase(
        name, f, description, workflow, input, models, workspace, store, runs, passRate, expect);
  }

  private EvalCase.Expect readExpect(@Nullable JsonNode e, String at) {
    RunStatus status = RunStatus.COMPLETED;
    FailureReason reason = null;
    List<EvalCase.OutputCheck> output = new ArrayList<>();
    List<String> steps = null;
    boolean exact = true;
    Double maxCost = null;
    Long maxCalls = null;
    if (e == null) return new EvalCase.Expect(status, null, output, null, true, null, null);
    if (!e.isObject()) {
      problem(at, "expect must be a mapping (keys: " + String.join(", ", EXPECT_KEYS) + ")");
      return new EvalCase.Expect(status, null, output, null, true, null, null);
    }
    keys(e, at, EXPECT_KEYS);
    String s = text(e, at + "/status", "status");
    if (s != null) {
      status = constant(RunStatus.class, s, at + "/status", "status");
      if (status == null) status = RunStatus.COMPLETED;
    }
    String rs = text(e, at + "/reason", "reason");
    if (rs != null) reason = constant(FailureReason.class, rs, at + "/reason", "reason");
    JsonNode out = e.get("output");
    if (out != null) {
      if (!out.isArray()) {
        problem(at + "/output", "output must be a list of checks such as {path: a.b, equals: 1}");
      } else {
        for (int i = 0; i < out.size(); i++) {
          EvalCase.OutputCheck check = readCheck(out.get(i), at + "/output/" + i);
          if (check != null) output.add(check);
        }
      }
    }
    JsonNode st = e.get("steps");
    if (st != null) {
      JsonNode list = st;
      if (st.isObject()) {
        keys(st, at + "/steps", List.of("include"));
        list = st.get("include");
        exact = false;
        if (list == null) {
          problem(at + "/steps", "steps: {include: [...]} needs include:, a list of step keys");
        }
      }
      if (list != null) {
        String p = st.isObject() ? at + "/steps/include" : at + "/steps";
        if (!list.isArray() || !allText(list)) {
          problem(
              p,
              "steps must be a list of step keys such as [start#0, done#0], or {include: [...]}");
        } else {
          steps = new ArrayList<>();
          for (JsonNode k : list) steps.add(k.asText());
        }
      }
    }
    JsonNode mc = e.get("max_cost_usd");
    if (mc != null) {
      if (!mc.isNumber() || mc.asDouble() < 0) {
        problem(at + "/max_cost_usd", "max_cost_usd must be a number >= 0, not " + mc);
      } else {
        maxCost = mc.asDouble();
      }
    }
    JsonNode ml = e.get("max_llm_calls");
    if (ml != null) {
      if (!ml.isIntegralNumber() || ml.asLong() < 0) {
        problem(at + "/max_llm_calls", "max_llm_calls must be a whole number >= 0, not " + ml);
      } else {
        maxCalls = ml.asLong();
      }
    }
    return new EvalCase.Expect(status, reason, output, steps, exact, maxCost, maxCalls);
  }

  private EvalCase.@Nullable OutputCheck readCheck(JsonNode c, String at) {
    if (!c.isObject()) {
      problem(at, "an output check is a mapping such as {path: a.b, equals: 1}");
      return null;
    }
    List<String> allowed = new ArrayList<>(CHECKS);
    allowed.add(0, "path");
    keys(c, at, allowed);
    String path = c.has("path") ? text(c, at + "/path", "path") : null;
    if (!c.has("path")) problem(at, "missing path: (a dot-path of the output, \"\" for all of it)");
    if (path != null && !path.isBlank() && List.of(path.trim().split("\\.", -1)).contains("")) {
      problem(at + "/path", "path '" + path + "' has an empty segment (write it as a.b.0)");
      path = null;
    }
    List<String> kinds = new ArrayList<>();
    for (String k : CHECKS) if (c.has(k)) kinds.add(k);
    if (kinds.size() != 1) {
      problem(
          at,
          kinds.isEmpty()
              ? "missing check: give one of " + String.join(", ", CHECKS)
              : "one check per entry, not " + String.join(" and ", kinds) + " (split it in two)");
      return null;
    }
    String kind = kinds.get(0);
    JsonNode expected = c.get(kind);
    String p = at + "/" + kind;
    switch (kind) {
      case "contains" -> {
        if (!expected.isTextual()) {
          problem(p, "contains must be a string (compare other values with equals)");
          return null;
        }
      }
      case "matches" -> {
        if (!expected.isTextual()) {
          problem(p, "matches must be a string, a Java regular expression");
          return null;
        }
        try {
          Pattern.compile(expected.asText());
        } catch (PatternSyntaxException e) {
          problem(
              p,
              "bad regular expression: "
                  + e.getDescription()
                  + " near index "
                  + e.getIndex()
                  + " of '"
                  + expected.asText()
                  + "'");
          return null;
        }
      }
      case "schema_valid" -> {
        if (!expected.isObject() && !expected.isBoolean()) {
          problem(p, "schema_valid must be a JSON Schema (a mapping such as {type: object})");
          return null;
        }
        List<JsonSchemas.Problem> bad = JsonSchemas.problems(expected);
        if (!bad.isEmpty()) {
          problem(
              p,
              "invalid JSON schema: "
                  + String.join("; ", bad.stream().map(Object::toString).toList()));
          return null;
        }
      }
      default -> {}
    }
    return path == null ? null : new EvalCase.OutputCheck(path, kind, expected);
  }

  private <E extends Enum<E>> @Nullable E constant(Class<E> type, String s, String at, String key) {
    for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s)) return e;
    List<String> values = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    problem(
        at,
        "unknown "
            + key
            + " '"
            + s
            + "'"
            + Suggestions.didYouMean(s.toUpperCase(Locale.ROOT), values)
            + " (one of: "
            + String.join(", ", values)
            + ")");
    return null;
  }

  private static boolean allText(JsonNode list) {
    for (JsonNode n : list) if (!n.isTextual()) return false;
    return true;
  }

  private void keys(JsonNode node, String at, List<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        problem(
            at + "/" + k,
            "unknown key '"
                + k
                + "'"
                + Suggestions.didYouMean(k, allowed)
                + " (keys: "
                + String.join(", ", allowed)
                + ")",
            true);
      }
    }
  }

  /** The string at {@code parent.key}, or null (with a problem if it is there but no string). */
  private @Nullable String text(JsonNode parent, String at, String key) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull() && !key.equals("path")) return null;
    if (!v.isTextual()) {
      problem(at, key + " must be a string, not " + v);
      return null;
    }
    return v.asText();
  }

  private List<String> workflows() {
    return workflows;
  }

  private void problem(String pointer, String message) {
    problem(pointer, message, false);
  }

  private void problem(String pointer, String message, boolean atKey) {
    problems.add(
        file + ":" + (atKey ? doc.locateKey(pointer) : doc.locate(pointer)) + ": " + message);
  }
}
