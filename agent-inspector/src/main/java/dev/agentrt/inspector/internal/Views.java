package dev.agentrt.inspector.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.BudgetSpec;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CallRecords;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import dev.agentrt.inspector.AgentInspector;
import dev.agentrt.inspector.internal.InspectorServer.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** The JSON documents of the API, built from the runtime's store and manifests. */
final class Views {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final AgentRuntime runtime;
  private final Manifests manifests;
  private final Content content;
  private final Registry registry;

  Views(AgentRuntime runtime, Content content) {
    this.runtime = runtime;
    this.manifests = runtime.manifests();
    this.content = content;
    this.registry = new Registry(runtime, content);
  }

  private CheckpointStore store() {
    return runtime.checkpointStore();
  }

  // ---------------------------------------------------------------- runs

  ObjectNode runs(Map<String, String> query) {
    RunQuery.Builder q = RunQuery.builder().limit(limit(query.get("limit")));
    String workflow = query.get("workflow");
    if (workflow != null && !workflow.isBlank()) q.workflowId(workflow);
    String status = query.get("status");
    if (status != null && !status.isBlank()) q.status(status(status));
    RunListing listing = store().summaries(q.build());
    ObjectNode root = InspectorServer.MAPPER.createObjectNode();
    ArrayNode runs = root.putArray("runs");
    Instant now = Instant.now();
    for (RunSummary s : listing.runs()) {
      ObjectNode o = runs.addObject();
      summary(o, s, now);
      List<StepRecord> steps = store().steps(s.runId());
      BudgetUsage used = total(steps);
      o.put("steps", steps.size());
      ObjectNode tokens = o.putObject("tokens");
      tokens.put("input", used.inputTokens());
      tokens.put("output", used.outputTokens());
      o.put("costUsd", used.costUsd());
      o.put("llmCalls", used.llmCalls());
      o.put("toolCalls", used.toolCalls());
    }
    ArrayNode unreadable = root.putArray("unreadable");
    listing.unreadable().forEach(unreadable::add);
    ArrayNode workflows = root.putArray("workflows");
    new TreeSet<>(manifests.workflows().keySet()).forEach(workflows::add);
    ArrayNode statuses = root.putArray("statuses");
    for (RunStatus st : RunStatus.values()) statuses.add(st.name());
    return root;
  }

  private static int limit(@Nullable String text) {
    if (text == null || text.isBlank()) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiException(400, "limit '" + text + "' is not a number between 1 and " + MAX_LIMIT);
  }

  private static RunStatus status(String text) {
    try {
      return RunStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          "status '"
              + text
              + "' is not one of "
              + String.join(", ", Arrays.stream(RunStatus.values()).map(Enum::name).toList()));
    }
  }

  /** A run's id, workflow, status, reason, step, times and duration (so far, while it runs). */
  private static void summary(ObjectNode o, RunSummary s, Instant now) {
    o.put("runId", s.runId());
    o.put("workflow", s.workflowId());
    o.put("status", s.status().name());
    o.put("reason", s.reason() == null ? null : s.reason().name());
    o.put("stepKey", s.stepKey());
    o.put("started", s.createdAt().toString());
    o.put("updated", s.updatedAt().toString());
    Instant end = s.status() == RunStatus.RUNNING ? now : s.updatedAt();
    o.put("durationMs", Math.max(0, Duration.between(s.createdAt(), end).toMillis()));
  }

  RunRecord requireRun(String runId) {
    return store()
        .find(runId)
        .orElseThrow(() -> new ApiException(404, "no run '" + runId + "' in the store"));
  }

  // ---------------------------------------------------------------- one run

  ObjectNode run(String runId) {
    RunRecord run = requireRun(runId);
    List<StepRecord> steps = store().steps(runId);
    List<CallRecord> calls = store().calls(runId);
    @Nullable WorkflowSpec wf = manifests.workflow(run.workflowId()).orElse(null);
    ObjectNode root = InspectorServer.MAPPER.createObjectNode();

    ObjectNode r = root.putObject("run");
    summary(r, RunSummary.of(run), Instant.now());
    r.put("message", content.text(run.message()));
    r.set("input", content.content(run.input()));
    r.set("output", content.content(run.output()));
    root.put("mode", content.mode().name().toLowerCase(Locale.ROOT));

    Map<String, List<CallRecord>> callsByStep = CallRecords.byStep(calls);
    Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    if (wf != null) for (NodeSpec n : wf.nodes()) nodes.put(n.id(), n);
    Loops loops = wf == null ? Loops.NONE : Loops.of(wf);

    Map<String, String> lanes = new LinkedHashMap<>();
    lanes.put("", "main");
    ArrayNode stepsJson = root.putArray("steps");
    for (StepRecord s : steps) {
      String lane = lane(s.stepKey());
      addLanes(lanes, lane, nodes);
      NodeSpec node = nodes.get(s.nodeId());
      ObjectNode o = stepsJson.addObject();
      o.put("key", s.stepKey());
      o.put("node", s.nodeId());
      o.put("kind", node == null ? null : node.kind());
      o.put("role", node == null ? null : node.roleOrDefault().name().toLowerCase(Locale.ROOT));
      o.put("lane", lane);
      int visit = visit(s.stepKey());
      Loops.Loop loop = visit > 0 ? loops.of(s.nodeId()) : null;
      if (loop != null) {
        int iteration = Math.min(visit, loop.max());
        o.put("label", s.nodeId() + " · " + loop.id() + " " + iteration + " of " + loop.max());
        o.putObject("loop")
            .put("edge", loop.id())
            .put("iteration", iteration)
            .put("max", loop.max());
      } else {
        o.put("label", s.nodeId());
        o.putNull("loop");
      }
      o.put("status", s.status().name());
      o.put("attempts", s.attempts());
      o.put("retried", s.attempts() > 1);
      o.put("started", s.startedAt().toString());
      o.put("offsetMs", Math.max(0, Duration.between(run.createdAt(), s.startedAt()).toMillis()));
      o.put("durationMs", s.duration().toMillis());
      usage(o.putObject("usage"), s.usage(), true);
      o.set("output", content.content(s.output()));
      o.put("error", content.text(s.error()));
      o.set("decision", decision(node, s, steps));
      JsonNode messages = s.output().path("$messages");
      o.set(
          "messages",
          messages.isArray() && !messages.isEmpty()
              ? content.content(messages)
              : InspectorServer.MAPPER.createArrayNode());
      calls(o.putArray("calls"), callsByStep.getOrDefault(s.stepKey(), List.of()));
    }
    ArrayNode lanesJson = root.putArray("lanes");
    List<String> laneIds = new ArrayList<>(lanes.keySet());
    laneIds.sort(laneOrder(wf));
    for (String id : laneIds) lanesJson.addObject().put("id", id).put("label", lanes.get(id));

    budget(root.putObject("budget"), wf, steps);
    ObjectNode graph = root.putObject("graph");
    if (wf == null) {
      graph.putNull("mermaid");
      graph.putArray("taken");
    } else {
      Set<String> taken = taken(wf, steps);
      graph.put("mermaid", AgentRuntime.mermaid(wf, taken));
      ArrayNode t = graph.putArray("taken");
      taken.forEach(t::add);
    }
    return root;
  }

  /** The lane of a step: its key up to the last {@code /} (the main line is {@code ""}). */
  static String lane(String stepKey) {
    int slash = stepKey.lastIndexOf('/');
    return slash < 0 ? "" : stepKey.substring(0, slash + 1);
  }

  /** The visit of the step's node in its lane: {@code n} in {@code node#n}. */
  static int visit(String stepKey) {
    String last = stepKey.substring(stepKey.lastIndexOf('/') + 1);
    int hash = last.lastIndexOf('#');
    if (hash < 0) return 0;
    int bracket = last.indexOf('[', hash);
    try {
      return Integer.parseInt(last.substring(hash + 1, bracket < 0 ? last.length() : bracket));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Lanes in a stable order, whatever order their steps completed in: an enclosing lane before the
   * lanes inside it; siblings by their fork node's place in the file, its visit, then by item index
   * (split) or by the order of the fork's edges (branch).
   */
  static Comparator<String> laneOrder(@Nullable WorkflowSpec wf) {
    Map<String, Integer> place = new HashMap<>();
    Map<String, Integer> edgePlace = new HashMap<>();
    if (wf != null) {
      for (NodeSpec n : wf.nodes()) place.putIfAbsent(n.id(), place.size());
      for (EdgeSpec e : wf.edges())
        edgePlace.putIfAbsent(e.from() + "->" + e.to(), edgePlace.size());
    }
    Comparator<String> segment =
        Comparator.<String>comparingInt(x -> place.getOrDefault(nodeOf(x), Integer.MAX_VALUE))
            .thenComparing(Views::nodeOf)
            .thenComparingInt(Views::visit)
            .thenComparingLong(
                x -> {
                  String inside = inside(x);
                  if (inside.isEmpty()) return -1;
                  if (inside.chars().allMatch(Character::isDigit) && inside.length() < 10)
                    return Long.parseLong(inside);
                  return edgePlace.getOrDefault(nodeOf(x) + "->" + inside, Integer.MAX_VALUE);
                })
            .thenComparing(Views::inside);
    return (a, b) -> {
      String[] x = a.split("/");
      String[] y = b.split("/");
      if (a.isEmpty() || b.isEmpty()) return Boolean.compare(!a.isEmpty(), !b.isEmpty());
      for (int i = 0; i < Math.min(x.length, y.length); i++) {
        int c = segment.compare(x[i], y[i]);
        if (c != 0) return c;
      }
      return Integer.compare(x.length, y.length);
    };
  }

  /** The node of a key segment: {@code fork} in {@code fork#0[x]}. */
  private static String nodeOf(String segment) {
    int hash = segment.indexOf('#');
    return hash < 0 ? segment : segment.substring(0, hash);
  }

  /** What is between the brackets of a key segment, {@code ""} without. */
  private static String inside(String segment) {
    int open = segment.indexOf('[');
    return open < 0 || !segment.endsWith("]")
        ? ""
        : segment.substring(open + 1, segment.length() - 1);
  }

  /** Adds {@code lane} and its enclosing lanes, labelled by what opened them. */
  private static void addLanes(
      Map<String, String> lanes, String lane, Map<String, NodeSpec> nodes) {
    if (lane.isEmpty() || lanes.containsKey(lane)) return;
    String inner = lane.substring(0, lane.length() - 1);
    int cut = inner.lastIndexOf('/');
    String parent = cut < 0 ? "" : inner.substring(0, cut + 1);
    addLanes(lanes, parent, nodes);
    String segment = inner.substring(cut + 1); // fork#0[target] or node#0
    String label;
    int bracket = segment.indexOf('[');
    String nodeId =
        segment.substring(0, segment.indexOf('#') < 0 ? segment.length() : segment.indexOf('#'));
    if (bracket >= 0 && segment.endsWith("]")) {
      String inside = segment.substring(bracket + 1, segment.length() - 1);
      NodeSpec fork = nodes.get(nodeId);
      label =
          fork != null && fork.roleOrDefault() == Role.SPLIT
              ? nodeId + " item " + inside
              : nodeId + " → " + inside;
    } else {
      label = nodeId + " (sub-workflow)";
    }
    lanes.put(lane, parent.isEmpty() ? label : lanes.get(parent) + " › " + label);
  }

  /** A decision's route value and the recommendation of a router that informed it. */
  private JsonNode decision(@Nullable NodeSpec node, StepRecord s, List<StepRecord> steps) {
    if (node == null || node.roleOrDefault() != Role.DECISION) return nullNode();
    ObjectNode d = InspectorServer.MAPPER.createObjectNode();
    JsonNode value;
    if ("router".equals(node.kind())) {
      d.put("route", "chosen");
      value = s.output().path("chosen");
    } else {
      d.put("route", node.route());
      value = node.route() == null ? null : s.output().at(pointer(node.route()));
    }
    d.set("value", content.meta(value));
    JsonNode recommendation = null;
    String lane = lane(s.stepKey());
    for (StepRecord other : steps) {
      if (other == s) break;
      JsonNode out = other.output();
      if (node.id().equals(out.path("for").asText(null))
          && lane(other.stepKey()).equals(lane)
          && out.path("recommendations").isArray()) recommendation = out;
    }
    if ("router".equals(node.kind())) recommendation = s.output();
    JsonNode top = recommendation == null ? null : recommendation.path("recommendations").path(0);
    if (top == null || top.isMissingNode()) {
      d.putNull("recommended");
    } else {
      ObjectNode rec = d.putObject("recommended");
      rec.set("edge", content.meta(top.path("edge")));
      rec.set("score", top.path("score"));
      rec.set("confidence", recommendation.path("confidence"));
    }
    return d;
  }

  private static String pointer(String dotted) {
    StringBuilder sb = new StringBuilder();
    for (String part : dotted.split("\\.")) {
      sb.append('/').append(part.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  private static JsonNode nullNode() {
    return InspectorServer.MAPPER.nullNode();
  }

  /**
   * A step's calls: LLM calls with their messages, tool calls requested and answer; tool calls with
   * arguments and result; the intent recorded before an effectful tool call is folded into that
   * call (effect, idempotency key), and kept on its own when the call never completed ({@link
   * CallRecords#fold}).
   */
  private void calls(ArrayNode out, List<CallRecord> recorded) {
    for (CallRecords.Call call : CallRecords.fold(recorded)) {
      CallRecord c = call.record();
      ObjectNode o = out.addObject();
      o.put("index", c.index());
      o.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
      o.put("name", c.name());
      o.put("started", c.startedAt().toString());
      o.put("durationMs", c.duration().toMillis());
      usage(o.putObject("usage"), c.usage(), false);
      switch (c.kind()) {
        case LLM -> {
          o.set("messages", content.content(c.request().path("messages")));
          o.set("toolCalls", content.content(c.response().path("tool_calls")));
          o.set("text", content.content(c.response().path("text")));
          o.set("context", context(c.request().path("context")));
        }
        case TOOL, INTENT -> {
          o.set("arguments", content.content(c.request().path("arguments")));
          o.set("result", c.kind() == CallKind.TOOL ? content.content(c.response()) : nullNode());
          o.set("effect", content.meta(call.effect().map(TextNode::valueOf).orElse(null)));
          o.set(
              "idempotencyKey",
              content.meta(call.idempotencyKey().map(TextNode::valueOf).orElse(null)));
        }
        default -> {
          // router rankings and other records: shown as recorded
        }
      }
      o.set("request", content.content(c.request()));
      o.set("response", content.content(c.response()));
    }
  }

  /**
   * An LLM call's context report: metadata (sections, tokens, what was cut), except the memory
   * query and the memory hits' texts, which are contents.
   */
  private JsonNode context(JsonNode report) {
    JsonNode shown = content.meta(report);
    if (content.mode() != AgentInspector.Mode.SHIPPING || !shown.isObject()) return shown;
    ObjectNode copy = (ObjectNode) shown.deepCopy();
    for (JsonNode section : copy.path("sections")) {
      if (!(section instanceof ObjectNode s)) continue;
      if (s.has("query")) s.put("query", Content.HIDDEN);
      for (JsonNode hit : s.path("hits")) {
        if (hit instanceof ObjectNode h && h.has("text")) h.put("text", Content.HIDDEN);
      }
    }
    return copy;
  }

  private static void usage(ObjectNode o, BudgetUsage u, boolean calls) {
    o.put("inputTokens", u.inputTokens());
    o.put("outputTokens", u.outputTokens());
    o.put("costUsd", u.costUsd());
    if (calls) {
      o.put("llmCalls", u.llmCalls());
      o.put("toolCalls", u.toolCalls());
    }
  }

  static BudgetUsage total(List<StepRecord> steps) {
    BudgetUsage total = BudgetUsage.ZERO;
    for (StepRecord s : steps) total = total.plusStep(s.usage());
    return total;
  }

  /** The run's limits (the workflow's, else config.yml's) beside what it used. */
  private void budget(ObjectNode o, @Nullable WorkflowSpec wf, List<StepRecord> steps) {
    BudgetSpec w = wf == null ? null : wf.budget();
    BudgetSpec c = manifests.config().budget();
    ObjectNode limits = o.putObject("limits");
    limits.put("maxHops", pick(w == null ? null : w.maxHops(), c == null ? null : c.maxHops()));
    limits.put(
        "maxTokens", pick(w == null ? null : w.maxTokens(), c == null ? null : c.maxTokens()));
    limits.put(
        "maxCostUsd", pick(w == null ? null : w.maxCostUsd(), c == null ? null : c.maxCostUsd()));
    limits.put(
        "maxLlmCalls",
        pick(w == null ? null : w.maxLlmCalls(), c == null ? null : c.maxLlmCalls()));
    limits.put(
        "maxToolCalls",
        pick(w == null ? null : w.maxToolCalls(), c == null ? null : c.maxToolCalls()));
    Duration d = pick(w == null ? null : w.maxDuration(), c == null ? null : c.maxDuration());
    limits.put("maxDurationMs", d == null ? null : d.toMillis());
    BudgetUsage u = total(steps);
    ObjectNode used = o.putObject("used");
    used.put("hops", u.hops());
    used.put("tokens", u.totalTokens());
    used.put("costUsd", u.costUsd());
    used.put("llmCalls", u.llmCalls());
    used.put("toolCalls", u.toolCalls());
    used.put("durationMs", u.elapsed().toMillis());
  }

  private static <T> @Nullable T pick(@Nullable T first, @Nullable T second) {
    return first != null ? first : second;
  }

  /** The workflow's nodes a run visited (steps of sub-workflows aside). */
  private static Set<String> taken(WorkflowSpec wf, List<StepRecord> steps) {
    Set<String> ids = new HashSet<>();
    for (NodeSpec n : wf.nodes()) ids.add(n.id());
    Set<String> taken = new LinkedHashSet<>();
    for (StepRecord s : steps) {
      if (ids.contains(s.nodeId()) && !insideSubWorkflow(s.stepKey(), wf)) taken.add(s.nodeId());
    }
    return taken;
  }

  private static boolean insideSubWorkflow(String stepKey, WorkflowSpec wf) {
    String lane = lane(stepKey);
    if (lane.isEmpty()) return false;
    for (String segment : lane.substring(0, lane.length() - 1).split("/")) {
      if (!segment.endsWith("]")) return true; // node#n/ opens a sub-workflow
    }
    return false;
  }

  // ---------------------------------------------------------------- graph, registry

  ObjectNode graph(String workflowId, @Nullable String runId) {
    WorkflowSpec wf =
        manifests
            .workflow(workflowId)
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "no workflow '"
                            + workflowId
                            + "' (known: "
                            + String.join(", ", new TreeSet<>(manifests.workflows().keySet()))
                            + ")"));
    Set<String> taken = Set.of();
    if (runId != null && !runId.isBlank()) {
      RunRecord run = requireRun(runId);
      if (!run.workflowId().equals(workflowId))
        throw new ApiException(
            400,
            "run '"
                + runId
                + "' is of workflow '"
                + run.workflowId()
                + "', not '"
                + workflowId
                + "'");
      taken = taken(wf, store().steps(runId));
    }
    ObjectNode o = InspectorServer.MAPPER.createObjectNode();
    o.put("id", wf.id());
    o.put("mermaid", AgentRuntime.mermaid(wf, taken));
    ArrayNode t = o.putArray("taken");
    taken.forEach(t::add);
    return o;
  }

  ObjectNode registry() {
    return registry.json();
  }

  /** Bounded loops of a workflow, and the nodes inside each loop's body. */
  record Loops(Map<String, Loop> byNode) {
    static final Loops NONE = new Loops(Map.of());

    record Loop(String id, int max) {}

    @Nullable Loop of(String nodeId) {
      return byNode.get(nodeId);
    }

    /**
     * For each loop edge {@code from -> to}, its body: the nodes on a path from {@code to} to
     * {@code from} without loop edges. A node in several bodies belongs to the first loop.
     */
    static Loops of(WorkflowSpec wf) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      Map<String, List<String>> in = new LinkedHashMap<>();
      for (EdgeSpec e : wf.edges()) {
        if (e.loop() != null) continue;
        out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
        in.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
      }
      Map<String, Loop> byNode = new LinkedHashMap<>();
      for (EdgeSpec e : wf.edges()) {
        if (e.loop() == null) continue;
        Set<String> forward = reach(e.to(), out);
        Set<String> backward = reach(e.from(), in);
        Loop loop = new Loop(e.idOrDefault(), e.loop().max());
        for (String n : forward) if (backward.contains(n)) byNode.putIfAbsent(n, loop);
      }
      return new Loops(byNode);
    }

    private static Set<String> reach(String start, Map<String, List<String>> edges) {
      Set<String> seen = new LinkedHashSet<>();
      Deque<String> todo = new ArrayDeque<>();
      todo.add(start);
      while (!todo.isEmpty()) {
        String n = todo.poll();
        if (!seen.add(n)) continue;
        todo.addAll(edges.getOrDefault(n, List.of()));
      }
      return seen;
    }
  }
}
