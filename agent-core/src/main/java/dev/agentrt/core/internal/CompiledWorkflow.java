package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.InterruptMode;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.RetrySpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.StoreValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A workflow turned into linked nodes and edges, with templates and paths parsed once. */
final class CompiledWorkflow {
  final String id;
  final WorkflowSpec spec;
  final String hash;
  final BudgetLimits budget;
  final Map<String, CNode> nodes = new LinkedHashMap<>();
  final CNode start;

  /** The input schema, or null if the workflow declares none. */
  final @Nullable InputSchema inputSchema;

  /** {@code $loops} before any loop edge is taken, or null if the workflow has no loop edge. */
  final @Nullable ObjectNode initialLoops;

  static final class CNode {
    final NodeSpec spec;
    final String id;
    final String keyBase;

    /**
     * The keys of the first visits outside branches and sub-workflows, made once: every run shares
     * them (a store that keeps runs in memory holds one string, not one per run).
     */
    final String[] firstKeys;

    static final int FIRST_KEYS = 4;
    final Role role;
    final @Nullable String kind;
    final List<CEdge> out = new ArrayList<>();
    @Nullable CEdge errorEdge;
    @Nullable CNode merge;
    @Nullable Template template;
    @Nullable Template output;
    @Nullable StatePath items;
    @Nullable StatePath route;
    @Nullable Map<String, StatePath> inputMapping;

    /** The executor of the node's kind, from the kind table; null for a node without a kind. */
    @Nullable NodeExecutor executor;

    /** Set by the built-in kinds when compiling: kind function's function, kind workflow's id. */
    @Nullable NodeFunction function;

    @Nullable String subWorkflow;
    final @Nullable InterruptMode interrupt;
    final int maxAttempts;
    final @Nullable RetrySpec retry;
    final boolean continueOnFailure;

    CNode(NodeSpec spec) {
      this.spec = spec;
      this.id = spec.id();
      this.keyBase = spec.id() + "#";
      this.firstKeys = new String[FIRST_KEYS];
      for (int i = 0; i < FIRST_KEYS; i++) firstKeys[i] = keyBase + i;
      this.role = spec.roleOrDefault();
      this.kind = spec.kind();
      this.interrupt = spec.interrupt();
      this.retry = spec.retry();
      this.maxAttempts = spec.retry() == null ? 1 : Math.max(1, spec.retry().maxAttempts());
      this.continueOnFailure = Boolean.TRUE.equals(spec.continueOnFailure());
    }

    /** The messages of a run waiting at a first-visit key, made once (see {@link #firstKeys}). */
    private final String[] waitMessages = new String[FIRST_KEYS * 2];

    /**
     * {@code run waits before|after node 'n' (step 'k'): resume it with input}: one string shared
     * by every run waiting at a first visit (a data race only builds an equal string twice).
     */
    String waitMessage(String key, boolean before) {
      for (int i = 0; i < FIRST_KEYS; i++) {
        if (firstKeys[i].equals(key)) {
          int slot = 2 * i + (before ? 0 : 1);
          String m = waitMessages[slot];
          if (m == null) waitMessages[slot] = m = buildWaitMessage(key, before);
          return m;
        }
      }
      return buildWaitMessage(key, before);
    }

    private String buildWaitMessage(String key, boolean before) {
      return StoreValues.waitMessage(id, key, before);
    }

    @Override
    public String toString() {
      return id;
    }
  }

  static final class CEdge {
    final EdgeSpec spec;
    final String id;
    final CNode from;
    final CNode to;
    final @Nullable String when;
    final int loopMax;
    final @Nullable CNode exhausted;

    CEdge(EdgeSpec spec, CNode from, CNode to, @Nullable CNode exhausted) {
      this.spec = spec;
      this.id = spec.idOrDefault();
      this.from = from;
      this.to = to;
      this.when = spec.when();
      this.loopMax = spec.loop() == null ? 0 : spec.loop().max();
      this.exhausted = exhausted;
    }

    boolean isLoop() {
      return loopMax > 0;
    }
  }

  CompiledWorkflow(
      WorkflowSpec spec,
      String hash,
      BudgetLimits defaults,
      Map<String, String> mergeOf,
      Map<String, NodeExecutor> kinds) {
    this.id = spec.id();
    this.spec = spec;
    this.hash = hash;
    this.budget =
        spec.budget() == null ? defaults : defaults.overriddenBy(BudgetLimits.from(spec.budget()));
    this.inputSchema =
        spec.input() == null || spec.input().schema() == null
            ? null
            : new InputSchema(spec.id(), spec.input().schema());
    CNode startNode = null;
    for (NodeSpec n : spec.nodes()) {
      CNode c = new CNode(n);
      nodes.put(n.id(), c);
      if (c.role == Role.START) startNode = c;
      if (n.template() != null) c.template = Template.compile(n.template());
      if (n.args() != null) c.template = Template.compile(n.args());
      if (n.output() != null) c.output = Template.compile(n.output());
      if (n.items() != null) c.items = StatePath.parse(n.items());
      if (n.route() != null) c.route = StatePath.parse(n.route());
      if (n.input() != null) {
        Map<String, StatePath> m = new LinkedHashMap<>();
        n.input().forEach((k, v) -> m.put(k, StatePath.parse(v)));
        c.inputMapping = m;
      }
      if (n.kind() != null) {
        c.executor = kinds.get(n.kind());
        if (c.executor instanceof BuiltInExecutor builtIn) builtIn.compile(c);
        if (c.route == null && c.role == Role.DECISION && c.executor != null) {
          String dflt = c.executor.nodeKeys().defaultRoute(n);
          if (dflt != null) c.route = StatePath.parse(dflt);
        }
      }
    }
    if (startNode == null)
      throw new IllegalStateException("workflow '" + spec.id() + "' has no start node");
    this.start = startNode;
    ObjectNode loops = null;
    for (EdgeSpec e : spec.edges()) {
      CNode from = nodes.get(e.from());
      CEdge edge =
          new CEdge(
              e,
              from,
              nodes.get(e.to()),
              e.loop() == null ? null : nodes.get(e.loop().exhausted()));
      if (e.isErrorEdge()) {
        from.errorEdge = edge;
      } else {
        from.out.add(edge);
      }
      if (edge.isLoop()) {
        if (loops == null) loops = Json.NODES.objectNode();
        loops.set(edge.id, loopStatus(0, edge.loopMax));
      }
    }
    this.initialLoops = loops;
    Map<String, CNode> byId = new HashMap<>(nodes);
    mergeOf.forEach((fork, merge) -> byId.get(fork).merge = byId.get(merge));
  }

  static JsonNode loopStatus(int iteration, int max) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("iteration", iteration);
    o.put("max", max);
    o.put("remaining", max - iteration);
    return o;
  }
}
