package dev.agentrt.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run did, kept as a regression baseline: its status, step keys in order, each step's
 * output, the tool calls (tool and arguments, by step) and the run's output. {@code agentrt run
 * --record FILE} writes one under {@code baseline:} next to the recorded script, so a test can
 * replay the script and check the run still does what it did ({@link
 * RunResultAssert#matchesBaseline(Path)}).
 *
 * <p>Tool results are not part of a baseline: they vary by machine (paths, timings, search
 * engines); what a tool returned shows in the outputs of the steps that used it.
 *
 * @since 0.1
 */
public final class RunBaseline {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int SHOWN = 200;

  private final ObjectNode tree;

  private RunBaseline(ObjectNode tree) {
    this.tree = tree;
  }

  /** The baseline of a run, from its result and its recorded calls ({@code store.calls(runId)}). */
  public static RunBaseline of(RunResult run, List<CallRecord> calls) {
    ObjectNode t = NODES.objectNode();
    t.put("workflow", run.workflowId());
    t.put("status", run.status().name());
    ArrayNode steps = t.putArray("steps");
    List<String> order = new ArrayList<>();
    for (StepResult s : run.steps()) {
      order.add(s.key());
      steps.addObject().put("key", s.key()).set("output", s.output());
    }
    List<CallRecord> tools = new ArrayList<>();
    for (CallRecord c : calls) if (c.kind() == CallKind.TOOL) tools.add(c);
    tools.sort(
        Comparator.<CallRecord>comparingInt(c -> order.indexOf(c.stepKey()))
            .thenComparingInt(CallRecord::index));
    ArrayNode toolCalls = t.putArray("tool_calls");
    for (CallRecord c : tools) {
      toolCalls
          .addObject()
          .put("step", c.stepKey())
          .put("tool", c.name())
          .set("arguments", c.request().path("arguments"));
    }
    t.set("output", run.output());
    return new RunBaseline(t);
  }

  /**
   * Reads a baseline: a file written by {@link #write}, or a recorded script with a {@code
   * baseline:} section.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no baseline
   */
  public static RunBaseline read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
    if (root != null && root.path("baseline").isObject()) root = root.get("baseline");
    if (!(root instanceof ObjectNode o) || !o.path("steps").isArray()) {
      throw new IllegalArgumentException(
          file
              + ": holds no baseline (record one with agentrt run WORKFLOW --record FILE, or"
              + " RunBaseline.of(result, calls).write(file))");
    }
    return new RunBaseline(o);
  }

  /** The baseline as YAML. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a baseline", e);
    }
  }

  /** The baseline as a JSON tree ({@code workflow, status, steps, tool_calls, output}). */
  public JsonNode tree() {
    return tree.deepCopy();
  }

  /** Writes the baseline to {@code file} as YAML. */
  public void write(Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, toYaml());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * How {@code actual} differs from this baseline, one readable line per difference (empty when
   * they agree): status, steps added or missing, step outputs, tool calls, the run's output.
   */
  public List<String> diff(RunBaseline actual) {
    Objects.requireNonNull(actual, "actual");
    List<String> out = new ArrayList<>();
    JsonNode a = actual.tree;
    if (!tree.path("workflow").equals(a.path("workflow"))) {
      out.add("workflow: expected " + tree.path("workflow") + ", was " + a.path("workflow"));
    }
    if (!tree.path("status").equals(a.path("status"))) {
      out.add(
          "status: expected "
              + tree.path("status").asText()
              + ", was "
              + a.path("status").asText());
    }
    Map<String, JsonNode> want = outputs(tree);
    Map<String, JsonNode> got = outputs(a);
    if (!List.copyOf(want.keySet()).equals(List.copyOf(got.keySet()))) {
      out.add(
          "steps: expected "
              + String.join(", ", want.keySet())
              + "\n         was "
              + String.join(", ", got.keySet()));
    }
    for (Map.Entry<String, JsonNode> e : want.entrySet()) {
      JsonNode g = got.get(e.getKey());
      if (g == null) out.add("step " + e.getKey() + ": missing");
      else if (!g.equals(e.getValue())) {
        out.add("step " + e.getKey() + " output: " + change(e.getValue(), g));
      }
    }
    for (String k : got.keySet()) {
      if (!want.containsKey(k)) out.add("step " + k + ": new (not in the baseline)");
    }
    JsonNode wt = tree.path("tool_calls");
    JsonNode gt = a.path("tool_calls");
    int n = Math.max(wt.size(), gt.size());
    for (int i = 0; i < n; i++) {
      JsonNode w = wt.path(i);
      JsonNode g = gt.path(i);
      if (w.equals(g)) continue;
      if (w.isMissingNode()) out.add("tool call " + (i + 1) + ": new: " + call(g));
      else if (g.isMissingNode()) out.add("tool call " + (i + 1) + ": missing: " + call(w));
      else out.add("tool call " + (i + 1) + ": expected " + call(w) + "\n         was " + call(g));
    }
    if (!tree.path("output").equals(a.path("output"))) {
      out.add("output: " + change(tree.path("output"), a.path("output")));
    }
    return out;
  }

  private static Map<String, JsonNode> outputs(JsonNode t) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (JsonNode s : t.path("steps")) m.put(s.path("key").asText(), s.path("output"));
    return m;
  }

  private static String call(JsonNode c) {
    return c.path("tool").asText()
        + " in "
        + c.path("step").asText()
        + " "
        + cut(c.path("arguments"));
  }

  /** "expected X, was Y", or the first differing field of two objects. */
  private static String change(JsonNode want, JsonNode got) {
    if (want.isObject() && got.isObject()) {
      List<String> fields = new ArrayList<>();
      want.fieldNames().forEachRemaining(fields::add);
      got.fieldNames()
          .forEachRemaining(
              f -> {
                if (!want.has(f)) fields.add(f);
              });
      List<String> parts = new ArrayList<>();
      for (String f : fields) {
        if (!want.path(f).equals(got.path(f))) {
          parts.add(f + ": expected " + show(want.path(f)) + ", was " + show(got.path(f)));
        }
      }
      return String.join("; ", parts);
    }
    return "expected " + show(want) + ", was " + show(got);
  }

  private static String show(JsonNode n) {
    return n.isMissingNode() ? "(absent)" : cut(n);
  }

  private static String cut(JsonNode n) {
    String s = n.toString();
    return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "… (" + s.length() + " chars)";
  }
}
