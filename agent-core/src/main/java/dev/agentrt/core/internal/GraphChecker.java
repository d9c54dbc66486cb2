package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the graph rules of ARCHITECTURE §3 on one workflow and works out which merge closes each
 * branch and split. Problems go to a sink with the JSON pointer of the offending value.
 */
final class GraphChecker {

  /** What the checker found: the merge of every branch and split node. */
  record GraphInfo(Map<String, String> mergeOf) {}

  final WorkflowSpec wf;

  /** Where problems go (counted). */
  final Variables.Sink sink;

  /** Each node id and its place in the file's node list. */
  final Map<String, Integer> index = new LinkedHashMap<>();

  /** The indexes of the sound edges leaving, and entering, each node. */
  final Map<String, List<Integer>> out = new HashMap<>();

  final Map<String, List<Integer>> in = new HashMap<>();

  /** The merge that closes each branch and split (filled by {@link RegionChecks}). */
  final Map<String, String> mergeOf = new HashMap<>();

  private int problems;

  GraphChecker(WorkflowSpec wf, Variables.Sink sink) {
    this.wf = wf;
    this.sink =
        (p, m) -> {
          problems++;
          sink.problem(p, m);
        };
  }

  static String nodeSubject(NodeSpec n) {
    return "node '" + n.id() + "'";
  }

  static String edgeSubject(EdgeSpec e) {
    return "edge '" + e.from() + " -> " + e.to() + "'";
  }

  GraphInfo check() {
    List<NodeSpec> nodes = wf.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec n = nodes.get(i);
      if (n == null || n.id() == null) continue;
      Integer prev = index.putIfAbsent(n.id(), i);
      if (prev != null) {
        sink.problem(
            "/nodes/" + i + "/id",
            nodeSubject(n) + ": duplicate id (nodes[" + prev + "] has it already)");
      }
      out.put(n.id(), new ArrayList<>());
      in.put(n.id(), new ArrayList<>());
    }
    checkEdgeReferences();
    if (problems > 0) return new GraphInfo(Map.of());
    new RoleChecks(this).check();
    if (problems > 0) return new GraphInfo(Map.of());
    if (!checkAcyclic()) return new GraphInfo(Map.of());
    checkReachable();
    new RegionChecks(this).check();
    return new GraphInfo(Map.copyOf(mergeOf));
  }

  NodeSpec node(String id) {
    return wf.nodes().get(index.get(id));
  }

  String nodePtr(String id) {
    return "/nodes/" + index.get(id);
  }

  private void checkEdgeReferences() {
    Set<String> ids = index.keySet();
    Set<String> seen = new HashSet<>();
    Set<String> edgeIds = new HashSet<>();
    List<EdgeSpec> edges = wf.edges();
    for (int j = 0; j < edges.size(); j++) {
      EdgeSpec e = edges.get(j);
      if (e == null || e.from() == null || e.to() == null) continue;
      boolean ok = true;
      if (!ids.contains(e.from())) {
        sink.problem(
            "/edges/" + j + "/from",
            edgeSubject(e) + ": no node '" + e.from() + "'" + Suggest.didYouMean(e.from(), ids));
        ok = false;
      }
      if (!ids.contains(e.to())) {
        sink.problem(
            "/edges/" + j + "/to",
            edgeSubject(e) + ": no node '" + e.to() + "'" + Suggest.didYouMean(e.to(), ids));
        ok = false;
      }
      if (e.loop() != null && e.loop().exhausted() != null && !ids.contains(e.loop().exhausted())) {
        sink.problem(
            "/edges/" + j + "/loop/exhausted",
            edgeSubject(e)
                + ": loop.exhausted: no node '"
                + e.loop().exhausted()
                + "'"
                + Suggest.didYouMean(e.loop().exhausted(), ids));
        ok = false;
      }
      boolean duplicate = !seen.add(e.from() + "\u0000" + e.to() + "\u0000" + e.when());
      if (duplicate) {
        sink.problem(
            "/edges/" + j,
            edgeSubject(e)
                + ": duplicate edge"
                + (e.when() == null ? "" : " for when '" + e.when() + "'")
                + " (remove one)");
        ok = false;
      }
      // a duplicate edge also repeats the default id; one mistake, one message
      if (!edgeIds.add(e.idOrDefault()) && !duplicate) {
        sink.problem(
            "/edges/" + j,
            edgeSubject(e)
                + ": edge id '"
                + e.idOrDefault()
                + "' is used twice (give one of them an id:)");
      }
      if (e.isErrorEdge() && e.loop() != null) {
        sink.problem(
            "/edges/" + j + "/loop", edgeSubject(e) + ": an $error edge cannot be a loop edge");
        ok = false;
      }
      if (ok) {
        out.get(e.from()).add(j);
        in.get(e.to()).add(j);
      }
    }
  }

  /** Forward successors: targets of non-loop edges, and the exhausted targets of loop edges. */
  List<String> forward(String id) {
    Set<String> succ = new LinkedHashSet<>();
    for (int j : out.get(id)) {
      EdgeSpec e = wf.edges().get(j);
      String t = e.loop() != null ? e.loop().exhausted() : e.to();
      if (t != null && index.containsKey(t)) succ.add(t);
    }
    return new ArrayList<>(succ);
  }

  /**
   * Depth-first search without recursion (a chain of thousands of nodes must not overflow the
   * stack): {@code path} holds the nodes being visited, each with its successors still to visit.
   */
  private boolean checkAcyclic() {
    Map<String, Integer> color = new HashMap<>();
    for (String root : index.keySet()) {
      if (color.getOrDefault(root, 0) != 0) continue;
      Deque<String> path = new ArrayDeque<>();
      Deque<Iterator<String>> pending = new ArrayDeque<>();
      color.put(root, 1);
      path.addLast(root);
      pending.addLast(forward(root).iterator());
      while (!path.isEmpty()) {
        Iterator<String> it = pending.peekLast();
        if (!it.hasNext()) {
          color.put(path.removeLast(), 2);
          pending.removeLast();
          continue;
        }
        String s = it.next();
        int c = color.getOrDefault(s, 0);
        if (c == 1) {
          reportCycle(path, s);
          return false;
        }
        if (c == 0) {
          color.put(s, 1);
          path.addLast(s);
          pending.addLast(forward(s).iterator());
        }
      }
    }
    return true;
  }

  /**
   * Reports the cycle closed by the edge from the last node of {@code path} to {@code s}, which is
   * on the path.
   */
  private void reportCycle(Deque<String> path, String s) {
    String id = path.peekLast();
    List<String> cycle = new ArrayList<>();
    boolean in = false;
    for (String p : path) {
      if (p.equals(s)) in = true;
      if (in) cycle.add(p);
    }
    cycle.add(s);
    String edgePtr = nodePtr(id);
    for (int j : out.get(id)) {
      EdgeSpec e = wf.edges().get(j);
      if (e.to().equals(s) || (e.loop() != null && s.equals(e.loop().exhausted()))) {
        edgePtr = "/edges/" + j;
        break;
      }
    }
    sink.problem(
        edgePtr,
        "edge '"
            + id
            + " -> "
            + s
            + "': closes the cycle "
            + String.join(" -> ", cycle)
            + " (a back-edge must be bounded: add loop: {max: N, exhausted: <node>})");
  }

  private void checkReachable() {
    String start = null;
    for (NodeSpec n : wf.nodes()) {
      if (n.roleOrDefault() == Role.START) {
        start = n.id();
        break;
      }
    }
    if (start == null) return;
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (!seen.add(id)) continue;
      for (int j : out.get(id)) {
        EdgeSpec e = wf.edges().get(j);
        todo.push(e.to());
        // a loop without exhausted: is reported by the constraint check
        if (e.loop() != null && e.loop().exhausted() != null) todo.push(e.loop().exhausted());
      }
    }
    for (String id : index.keySet()) {
      if (!seen.contains(id)) {
        sink.problem(
            nodePtr(id),
            nodeSubject(node(id))
                + ": not reachable from start '"
                + start
                + "' (add an edge into it, or remove it)");
      }
    }
  }
}
