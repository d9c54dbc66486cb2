package dev.agentrt.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.internal.CodeManifest;
import dev.agentrt.core.internal.CodeTrees;
import dev.agentrt.core.internal.SourceMap;
import dev.agentrt.core.internal.SourceMap.CallSite;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.InterruptMode;
import dev.agentrt.core.manifest.Role;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A workflow built in Java instead of a {@code workflows/*.yml} file: the same nodes, edges and
 * keys, read by the same loader into the same {@link dev.agentrt.core.manifest.WorkflowSpec},
 * checked by the same validation, drawn by the same Mermaid and hashed the same way for resume.
 * Register it with {@link AgentRuntime.Builder#workflow(Workflow)}, beside a configuration
 * directory or without one.
 *
 * <pre>{@code
 * Workflow triage = Workflow.builder("triage")
 *     .node(Workflow.Node.start("start"))
 *     .node(Workflow.Node.function("classify", "classify").decision("severity"))
 *     .node(Workflow.Node.transform("page", Map.of("action", "page-on-call")))
 *     .node(Workflow.Node.exit("paged").output("{{page}}"))
 *     .node(Workflow.Node.exit("queued"))
 *     .edge("start", "classify")
 *     .edge("classify", "page", "urgent")
 *     .edge("classify", "queued")
 *     .edge("page", "paged")
 *     .build();
 * }</pre>
 *
 * <p>Nothing is checked until the runtime is built: then every problem is reported at once, each at
 * the builder call that made it, in the form {@code Flows.java:31: workflow 'triage',
 * edge("classify", "pgae"): edge 'classify->pgae': no node 'pgae' (did you mean 'page'?)}. Strings
 * are used as YAML strings are: {@code {{...}}} templates and {@code ${env:...}} variables work the
 * same way. {@link #yaml()} is the equivalent file.
 *
 * <p>Immutable and thread-safe once built; a {@link Builder} is not thread-safe.
 *
 * @since 0.1
 */
public final class Workflow {
  private final String id;
  private final String yaml;
  private final SourceMap map;

  private Workflow(String id, String yaml, SourceMap map) {
    this.id = id;
    this.yaml = yaml;
    this.map = map;
  }

  /** Starts a workflow with this id (the name it is run by). */
  public static Builder builder(String id) {
    Objects.requireNonNull(id, "id");
    return new Builder(id, CallSite.here(CodeTrees.call("Workflow.builder", id)));
  }

  /**
   * An edge with more than {@link Builder#edge(String, String, String)} sets: an id, a loop, a
   * description, tags and examples for the embedded router.
   */
  public static Edge edge(String from, String to) {
    return new Edge(from, to, CallSite.here(CodeTrees.call("edge", from, to)));
  }

  /** The workflow's id. */
  public String id() {
    return id;
  }

  /** The workflow as the {@code workflows/<id>.yml} file that would define it. */
  public String yaml() {
    return yaml;
  }

  CodeManifest manifest() {
    return new CodeManifest(id, yaml, map);
  }

  @Override
  public String toString() {
    return "Workflow[" + id + "]";
  }

  /**
   * Builds a {@link Workflow}: nodes and edges in the order a file lists them (a decision tries its
   * edges in that order).
   *
   * @since 0.1
   */
  public static final class Builder {
    private final String id;
    private final CallSite origin;
    private final ObjectNode tree = JsonNodeFactory.instance.objectNode();
    private final ArrayNode nodes;
    private final ArrayNode edges;
    private final Map<String, CallSite> sites = new LinkedHashMap<>();

    private Builder(String id, CallSite origin) {
      this.id = id;
      this.origin = origin;
      tree.put("id", id);
      nodes = JsonNodeFactory.instance.arrayNode();
      edges = JsonNodeFactory.instance.arrayNode();
    }

    /** What the workflow does (shown by {@code agentrt graph} and the inspector). */
    public Builder description(String description) {
      tree.put("description", description);
      sites.put("/description", CallSite.here(CodeTrees.call("description", "...")));
      return this;
    }

    /**
     * The JSON Schema every input must match, as a {@code Map}, a {@code JsonNode} or any value
     * Jackson turns into one.
     */
    public Builder inputSchema(Object schema) {
      tree.putObject("input").set("schema", CodeTrees.tree(schema));
      sites.put("/input", CallSite.here("inputSchema(...)"));
      return this;
    }

    /** Limits for each run, over the defaults of {@code config.yml}. */
    public Builder budget(BudgetLimits limits) {
      tree.set("budget", CodeTrees.budget(limits));
      sites.put("/budget", CallSite.here("budget(...)"));
      return this;
    }

    /** Adds a node. */
    public Builder node(Node node) {
      Objects.requireNonNull(node, "node");
      sites.put("/nodes/" + nodes.size(), node.site);
      nodes.add(node.tree.deepCopy());
      return this;
    }

    /** Adds the edge {@code from -> to}: a linear edge, or a decision's default edge. */
    public Builder edge(String from, String to) {
      return edge(new Edge(from, to, CallSite.here(CodeTrees.call("edge", from, to))));
    }

    /** Adds a decision's edge taken when its route equals {@code when}. */
    public Builder edge(String from, String to, String when) {
      Edge e = new Edge(from, to, CallSite.here(CodeTrees.call("edge", from, to, when)));
      return edge(e.when(when));
    }

    /** Adds the edge taken when {@code from} fails ({@code when: $error}). */
    public Builder onError(String from, String to) {
      Edge e = new Edge(from, to, CallSite.here(CodeTrees.call("onError", from, to)));
      return edge(e.when(EdgeSpec.ERROR));
    }

    /**
     * Adds a bounded back-edge {@code from -> to}, taken at most {@code max} times per run, then
     * {@code exhausted} is taken instead.
     */
    public Builder loop(String from, String to, int max, String exhausted) {
      Edge e = new Edge(from, to, CallSite.here(CodeTrees.call("loop", from, to, max, exhausted)));
      return edge(e.loop(max, exhausted));
    }

    /** Adds an edge made with {@link Workflow#edge(String, String)}. */
    public Builder edge(Edge edge) {
      Objects.requireNonNull(edge, "edge");
      sites.put("/edges/" + edges.size(), edge.site);
      edges.add(edge.tree.deepCopy());
      return this;
    }

    /** The workflow; its problems are reported when a runtime is built with it. */
    public Workflow build() {
      ObjectNode t = tree.deepCopy();
      t.set("nodes", nodes.deepCopy());
      t.set("edges", edges.deepCopy());
      return new Workflow(
          id, CodeTrees.yaml(t), new SourceMap("workflow '" + id + "'", origin, sites));
    }
  }

  /**
   * One node: made by a factory naming what it runs ({@link #agent}, {@link #tool}, {@link
   * #function}, {@link #transform}, {@link #workflow}, {@link #kind}) or its role alone ({@link
   * #start}, {@link #exit}, {@link #merge}, {@link #branch}), then refined. Each method sets the
   * key of the same name in {@code workflows/*.yml}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Node {
    private final ObjectNode tree = JsonNodeFactory.instance.objectNode();
    private final CallSite site;

    private Node(String id, CallSite site) {
      this.site = site;
      tree.put("id", Objects.requireNonNull(id, "id"));
    }

    private static Node made(String id, String factory, Object... args) {
      Object[] all = new Object[args.length + 1];
      all[0] = id;
      System.arraycopy(args, 0, all, 1, args.length);
      return new Node(id, CallSite.here("node(" + CodeTrees.call(factory, all) + ")"));
    }

    /** The workflow's entry, which receives the input. */
    public static Node start(String id) {
      return made(id, "start").role(Role.START);
    }

    /** An exit: ends the run; {@link #output} builds the result (the whole state without it). */
    public static Node exit(String id) {
      return made(id, "exit").role(Role.EXIT);
    }

    /** A merge, waiting for every branch or sub-task of its branch or split. */
    public static Node merge(String id) {
      return made(id, "merge").role(Role.MERGE);
    }

    /** A branch: every outgoing edge runs in parallel until the matching merge. */
    public static Node branch(String id) {
      return made(id, "branch").role(Role.BRANCH);
    }

    /** A node running an agent of {@code agents/} or one built with {@link Agent}. */
    public static Node agent(String id, String agent) {
      Node n = made(id, "agent", agent);
      n.tree.put("kind", "agent").put("agent", agent);
      return n;
    }

    /** A node calling a tool with {@link #args}. */
    public static Node tool(String id, String tool) {
      Node n = made(id, "tool", tool);
      n.tree.put("kind", "tool").put("tool", tool);
      return n;
    }

    /** A node running a function registered with {@link AgentRuntime.Builder#function}. */
    public static Node function(String id, String function) {
      Node n = made(id, "function", function);
      n.tree.put("kind", "function").put("function", function);
      return n;
    }

    /** A node whose output is {@code template} with its {@code {{...}}} filled from state. */
    public static Node transform(String id, Object template) {
      Node n = made(id, "transform", "...");
      n.tree.put("kind", "transform").set("template", CodeTrees.tree(template));
      return n;
    }

    /** A node running another workflow as a sub-workflow. */
    public static Node workflow(String id, String workflow) {
      Node n = made(id, "workflow", workflow);
      n.tree.put("kind", "workflow").put("workflow", workflow);
      return n;
    }

    /** A node of a kind provided by a module or an executor ({@code router}, ...). */
    public static Node kind(String id, String kind) {
      Node n = made(id, "kind", kind);
      n.tree.put("kind", kind);
      return n;
    }

    /** How the router continues after this node; {@code linear} when not set. */
    public Node role(Role role) {
      tree.put("role", role.yamlName());
      return this;
    }

    /**
     * Makes this node a decision: the value at {@code route} in its output picks the edge whose
     * {@code when} equals it.
     */
    public Node decision(String route) {
      role(Role.DECISION);
      tree.put("route", route);
      return this;
    }

    /** Makes this node a decision on its whole output. */
    public Node decision() {
      return role(Role.DECISION);
    }

    /**
     * Makes this node a split: one sub-task per item of the array at {@code items} in state (its
     * own output when null).
     */
    public Node split(@Nullable String items) {
      role(Role.SPLIT);
      if (items != null) tree.put("items", items);
      return this;
    }

    /** What the node does (shown in graphs, used by the embedded router). */
    public Node description(String description) {
      tree.put("description", description);
      return this;
    }

    /** A tool node's arguments, templated from state. */
    public Node args(Object args) {
      tree.set("args", CodeTrees.tree(args));
      return this;
    }

    /** The node's input: names to state paths ({@code text -> input.text}). */
    public Node input(Map<String, String> input) {
      tree.set("input", CodeTrees.tree(input));
      return this;
    }

    /** An exit's template for the run's result. */
    public Node output(Object template) {
      tree.set("output", CodeTrees.tree(template));
      return this;
    }

    /**
     * Retries a failed attempt up to {@code maxAttempts} attempts in all, waiting {@code backoff}
     * (doubling).
     */
    public Node retry(int maxAttempts, Duration backoff) {
      ObjectNode r = tree.putObject("retry");
      r.put("max_attempts", maxAttempts);
      r.put("backoff", backoff.toString());
      return this;
    }

    /** Suspends the run before or after this node, until it is resumed. */
    public Node interrupt(InterruptMode mode) {
      tree.put("interrupt", mode == InterruptMode.BEFORE ? "before" : "after");
      return this;
    }

    /** On a branch or split: a failed branch does not cancel its siblings. */
    public Node continueOnFailure() {
      tree.put("continue_on_failure", true);
      return this;
    }

    /** Settings for a kind provided by a module. */
    public Node options(Object options) {
      tree.set("options", CodeTrees.tree(options));
      return this;
    }

    /** Capability tags this node provides. */
    public Node tags(String... tags) {
      tree.set("tags", CodeTrees.strings(tags));
      return this;
    }

    /** Capability tags some agent, tool or node of the configuration must provide. */
    public Node requires(String... tags) {
      tree.set("requires", CodeTrees.strings(tags));
      return this;
    }

    /**
     * The settings of a {@code router} node, as in YAML ({@code mode}, {@code min_confidence},
     * ...).
     */
    public Node router(Map<String, ?> settings) {
      tree.set("router", CodeTrees.tree(settings));
      return this;
    }
  }

  /**
   * An edge with its optional keys; add it with {@link Builder#edge(Edge)}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Edge {
    private final ObjectNode tree = JsonNodeFactory.instance.objectNode();
    private final CallSite site;

    private Edge(String from, String to, CallSite site) {
      this.site = site;
      tree.put("from", Objects.requireNonNull(from, "from"));
      tree.put("to", Objects.requireNonNull(to, "to"));
    }

    /** The edge's name in {@code state.$loops} and events; {@code from->to} when not set. */
    public Edge id(String id) {
      tree.put("id", id);
      return this;
    }

    /** The value a decision's route must equal to take this edge. */
    public Edge when(String when) {
      tree.put("when", when);
      return this;
    }

    /** Makes the edge a bounded back-edge: at most {@code max} times, then {@code exhausted}. */
    public Edge loop(int max, String exhausted) {
      ObjectNode l = tree.putObject("loop");
      l.put("max", max);
      l.put("exhausted", exhausted);
      return this;
    }

    /** What the edge means (used by the embedded router). */
    public Edge description(String description) {
      tree.put("description", description);
      return this;
    }

    /** Capability tags of the edge, for the embedded router. */
    public Edge tags(String... tags) {
      tree.set("tags", CodeTrees.strings(tags));
      return this;
    }

    /** Sample requests that should take this edge, for the embedded router. */
    public Edge examples(String... examples) {
      tree.set("examples", CodeTrees.strings(examples));
      return this;
    }
  }
}
