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
import java.util.Objects;
import java.util.Set;

/**
 * Checks the graph rules of ARCHITECTURE §3 on one workflow and works out which merge closes each
 * branch and split. Problems go to a sink with the JSON pointer of the offending value.
 */
final class GraphChecker {

  /** What the checker found: the merge of every branch and split node. */
  record GraphInfo(Map<String, String> mergeOf) {}

  private final WorkflowSpec wf;
  private final Variables.Sink sink;
  private final Map<String, Integer> index = new LinkedHashMap<>();
  private final Map<String, List<Integer>> out = new HashMap<>();
  private final Map<String, List<Integer>> in = new HashMap<>();
  private final Map<String, String> mergeOf = new HashMap<>();
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
    checkRoles();
    if (problems > 0) return new GraphInfo(Map.of());
    if (!checkAcyclic()) return new GraphInfo(Map.of());
    checkReachable();
    checkRegions();
    return new GraphInfo(Map.copyOf(mergeOf));
  }

  private NodeSpec node(String id) {
    return wf.nodes().get(index.get(id));
  }

  private String nodePtr(String id) {
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

  private void checkRoles() {
    int starts = 0;
    Set<String> exhaustedTargets = new HashSet<>();
    for (EdgeSpec e : wf.edges()) {
      if (e != null && e.loop() != null && e.loop().exhausted() != null)
        exhaustedTargets.add(e.loop().exhausted());
    }
    for (int i = 0; i < wf.nodes().size(); i++) {
      NodeSpec n = wf.nodes().get(i);
      // a duplicate id was reported; its later nodes are not checked again
      if (n == null || n.id() == null || index.get(n.id()) != i) continue;
      String ptr = nodePtr(n.id());
      Role role = n.roleOrDefault();
      List<EdgeSpec> normal = new ArrayList<>();
      List<Integer> normalIdx = new ArrayList<>();
      List<Integer> errorIdx = new ArrayList<>();
      for (int j : out.get(n.id())) {
        EdgeSpec e = wf.edges().get(j);
        if (e.isErrorEdge()) {
          errorIdx.add(j);
        } else {
          normal.add(e);
          normalIdx.add(j);
        }
      }
      String subject = nodeSubject(n);
      if ((role == Role.START || role == Role.MERGE || role == Role.EXIT) && n.kind() != null) {
        sink.problem(
            ptr + "/kind",
            subject
                + ": role "
                + role.yamlName()
                + " runs nothing, so it takes no kind"
                + " (move kind '"
                + n.kind()
                + "' to a node of its own)");
      }
      if (errorIdx.size() > 1) {
        sink.problem("/edges/" + errorIdx.get(1), subject + ": more than one $error edge");
      }
      if (!errorIdx.isEmpty() && n.kind() == null) {
        sink.problem(
            "/edges/" + errorIdx.get(0),
            subject + ": an $error edge needs a node that runs something (a kind)");
      }
      switch (role) {
        case START:
          starts++;
          if (starts > 1)
            sink.problem(
                ptr + "/role", subject + ": a second start node (a workflow has exactly one)");
          for (int j : in.get(n.id())) {
            sink.problem(
                "/edges/" + j + "/to",
                edgeSubject(wf.edges().get(j)) + ": no edge may enter the start node");
          }
          exactlyOne(n, ptr, normal, normalIdx, "start");
          break;
        case LINEAR:
          exactlyOne(n, ptr, normal, normalIdx, "linear");
          break;
        case MERGE:
          if (in.get(n.id()).isEmpty() && !exhaustedTargets.contains(n.id())) {
            sink.problem(ptr, subject + ": no edge enters this merge");
          }
          exactlyOne(n, ptr, normal, normalIdx, "merge");
          break;
        case DECISION:
          {
            if (n.kind() == null) {
              sink.problem(
                  ptr,
                  subject + ": role decision needs a kind that produces the value to route on");
            }
            if (normal.isEmpty()) {
              sink.problem(ptr, subject + ": no outgoing edge (a decision needs edges with when:)");
            }
            Set<String> whens = new HashSet<>();
            int defaults = 0;
            for (int k = 0; k < normal.size(); k++) {
              EdgeSpec e = normal.get(k);
              if (e.when() == null) {
                if (++defaults > 1) {
                  sink.problem(
                      "/edges/" + normalIdx.get(k),
                      edgeSubject(e)
                          + ": a second default edge (edges without when:) leaving decision '"
                          + n.id()
                          + "'");
                }
              } else if (!whens.add(e.when())) {
                sink.problem(
                    "/edges/" + normalIdx.get(k) + "/when",
                    edgeSubject(e)
                        + ": when '"
                        + e.when()
                        + "' is already taken by an earlier edge of '"
                        + n.id()
                        + "'");
              }
            }
            break;
          }
        case BRANCH:
        case SPLIT:
          {
            String r = role.yamlName();
            if (normal.isEmpty()) sink.problem(ptr, subject + ": no outgoing edge");
            if (role == Role.SPLIT && normal.size() > 1) {
              sink.problem(
                  "/edges/" + normalIdx.get(1),
                  subject
                      + ": a split has one outgoing edge, to the first node of"
                      + " each sub-task (found "
                      + normal.size()
                      + ")");
            }
            if (role == Role.SPLIT && n.kind() == null && n.items() == null) {
              sink.problem(
                  ptr,
                  subject
                      + ": a split needs items: (a state path to an array) or a kind whose output is an array");
            }
            for (int k = 0; k < normal.size(); k++) {
              EdgeSpec e = normal.get(k);
              if (e.when() != null) {
                sink.problem(
                    "/edges/" + normalIdx.get(k) + "/when",
                    edgeSubject(e)
                        + ": when: applies to edges leaving a"
                        + " decision; a "
                        + r
                        + " takes all its edges");
              }
              if (e.loop() != null) {
                sink.problem(
                    "/edges/" + normalIdx.get(k) + "/loop",
                    edgeSubject(e) + ": a loop edge cannot leave a " + r);
              }
            }
            break;
          }
        case EXIT:
          for (int j : out.get(n.id())) {
            sink.problem(
                "/edges/" + j,
                edgeSubject(wf.edges().get(j)) + ": no edge may leave exit '" + n.id() + "'");
          }
          break;
        default:
          break;
      }
      if (role != Role.DECISION && role != Role.BRANCH && role != Role.SPLIT) {
        for (int k = 0; k < normal.size(); k++) {
          if (normal.get(k).when() != null) {
            sink.problem(
                "/edges/" + normalIdx.get(k) + "/when",
                edgeSubject(normal.get(k))
                    + ": when: applies to edges leaving a decision ('"
                    + n.id()
                    + "' is "
                    + role.yamlName()
                    + ")");
          }
        }
      }
      if (n.route() != null && role != Role.DECISION) {
        sink.problem(ptr + "/route", subject + ": route: applies to role decision only");
      }
      if (n.items() != null && role != Role.SPLIT) {
        sink.problem(ptr + "/items", subject + ": items: applies to role split only");
      }
      if (n.output() != null && role != Role.EXIT) {
        sink.problem(ptr + "/output", subject + ": output: applies to role exit only");
      }
      if (n.continueOnFailure() != null && role != Role.BRANCH && role != Role.SPLIT) {
        sink.problem(
            ptr + "/continue_on_failure",
            subject + ": continue_on_failure: applies to branch and split nodes only");
      }
    }
    if (starts == 0) {
      sink.problem(
          "/nodes",
          "workflow '"
              + wf.id()
              + "': no start node (add {id: start, role: start} and an edge from it)");
    }
  }

  private void exactlyOne(
      NodeSpec n, String ptr, List<EdgeSpec> normal, List<Integer> idx, String role) {
    if (normal.isEmpty()) {
      sink.problem(
          ptr,
          nodeSubject(n)
              + ": no outgoing edge (add an edge from '"
              + n.id()
              + "', or make it role: exit)");
    } else if (normal.size() > 1) {
      sink.problem(
          "/edges/" + idx.get(1),
          nodeSubject(n)
              + ": "
              + normal.size()
              + " outgoing edges, but role "
              + role
              + " takes one (use role: decision with when:, or role: branch)");
    }
  }

  /** Forward successors: targets of non-loop edges, and the exhausted targets of loop edges. */
  private List<String> forward(String id) {
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

  /** Assigns every node the stack of branches/splits enclosing it and pairs each with its merge. */
  private void checkRegions() {
    Map<String, List<String>> stackOf = new HashMap<>();
    Map<String, List<String>> mergeInner = new HashMap<>();
    String start = null;
    for (NodeSpec n : wf.nodes()) {
      if (n.roleOrDefault() == Role.START) start = n.id();
    }
    if (start == null) return;
    Deque<Object[]> todo = new ArrayDeque<>();
    todo.push(new Object[] {start, List.<String>of()});
    Set<String> reported = new HashSet<>();
    while (!todo.isEmpty()) {
      Object[] item = todo.pop();
      String id = (String) item[0];
      @SuppressWarnings("unchecked")
      List<String> stack = (List<String>) item[1];
      NodeSpec n = node(id);
      Role role = n.roleOrDefault();
      List<String> own = stack;
      if (role == Role.MERGE) {
        if (stack.isEmpty()) {
          if (reported.add("merge:" + id)) {
            sink.problem(nodePtr(id), nodeSubject(n) + ": no branch or split before this merge");
          }
          continue;
        }
        List<String> inner = mergeInner.putIfAbsent(id, stack);
        if (inner != null && !inner.equals(stack)) {
          if (reported.add("mergeinner:" + id)) {
            // one mistake, one message: the forks concerned are not also reported as never reaching
            // a merge
            reported.add("open:" + inner.get(inner.size() - 1));
            reported.add("open:" + stack.get(stack.size() - 1));
            sink.problem(
                nodePtr(id),
                nodeSubject(n)
                    + ": entered from inside "
                    + describe(inner)
                    + " and from inside "
                    + describe(stack)
                    + " (each branch or split needs its own merge)");
          }
          continue;
        }
        String fork = stack.get(stack.size() - 1);
        String prev = mergeOf.putIfAbsent(fork, id);
        if (prev != null && !prev.equals(id)) {
          if (reported.add("fork:" + fork)) {
            sink.problem(
                nodePtr(fork),
                nodeSubject(node(fork))
                    + ": its paths end at two merges, '"
                    + prev
                    + "' and '"
                    + id
                    + "' (every path of a "
                    + node(fork).roleOrDefault().yamlName()
                    + " must reach the same merge)");
          }
          continue;
        }
        own = stack.subList(0, stack.size() - 1);
      }
      List<String> seen = stackOf.get(id);
      if (seen != null) {
        if (!seen.equals(own) && reported.add("node:" + id)) {
          sink.problem(
              nodePtr(id),
              nodeSubject(n)
                  + ": reached both "
                  + where(seen)
                  + " and "
                  + where(own)
                  + " (a node belongs to one region; close the branch or split with a merge first)");
        }
        continue;
      }
      stackOf.put(id, own);
      if (role == Role.EXIT && !own.isEmpty()) {
        String fork = own.get(own.size() - 1);
        sink.problem(
            nodePtr(id),
            nodeSubject(n)
                + ": reached inside "
                + describe(own)
                + " before its merge (every path of '"
                + fork
                + "' must reach a merge node before it can exit)");
        continue;
      }
      List<String> next = own;
      if (role == Role.BRANCH || role == Role.SPLIT) {
        next = new ArrayList<>(own);
        next.add(id);
        next = List.copyOf(next);
      }
      // push in reverse so that successors are visited in file order and messages name things in
      // that order
      List<String> succ = forward(id);
      for (int k = succ.size() - 1; k >= 0; k--) todo.push(new Object[] {succ.get(k), next});
    }
    for (NodeSpec n : wf.nodes()) {
      Role r = n.roleOrDefault();
      if ((r == Role.BRANCH || r == Role.SPLIT)
          && stackOf.containsKey(n.id())
          && !mergeOf.containsKey(n.id())
          && reported.add("open:" + n.id())) {
        sink.problem(
            nodePtr(n.id()),
            nodeSubject(n)
                + ": its paths never reach a merge (add a role: merge node where they meet)");
      }
    }
    // loop edges stay inside their region
    for (int j = 0; j < wf.edges().size(); j++) {
      EdgeSpec e = wf.edges().get(j);
      if (e == null
          || e.loop() == null
          || !index.containsKey(e.from())
          || !index.containsKey(e.to())) continue;
      List<String> from = stackOf.get(e.from());
      List<String> to = stackOf.get(e.to());
      if (from != null && to != null && !from.equals(to)) {
        sink.problem(
            "/edges/" + j,
            edgeSubject(e)
                + ": a loop edge must stay "
                + where(from)
                + " (it enters '"
                + e.to()
                + "' "
                + where(to)
                + ")");
      }
    }
    checkBranchesDisjoint(stackOf);
  }

  private void checkBranchesDisjoint(Map<String, List<String>> stackOf) {
    for (Map.Entry<String, String> fm : mergeOf.entrySet()) {
      NodeSpec fork = node(fm.getKey());
      if (fork.roleOrDefault() != Role.BRANCH) continue;
      Map<String, String> owner = new HashMap<>();
      for (int j : out.get(fork.id())) {
        EdgeSpec e = wf.edges().get(j);
        if (e.isErrorEdge()) continue;
        Deque<String> todo = new ArrayDeque<>(List.of(e.to()));
        Set<String> mine = new HashSet<>();
        while (!todo.isEmpty()) {
          String id = todo.pop();
          if (id.equals(fm.getValue()) || !mine.add(id)) continue;
          String prev = owner.putIfAbsent(id, e.to());
          if (prev != null && !prev.equals(e.to())) {
            sink.problem(
                nodePtr(id),
                nodeSubject(node(id))
                    + ": on two paths of branch '"
                    + fork.id()
                    + "' (from '"
                    + prev
                    + "' and from '"
                    + e.to()
                    + "'); give each path its own nodes");
            return;
          }
          todo.addAll(forward(id));
        }
      }
    }
    Objects.requireNonNull(stackOf);
  }

  private static String describe(List<String> stack) {
    return stack.isEmpty() ? "the top level" : "'" + stack.get(stack.size() - 1) + "'";
  }

  private static String where(List<String> stack) {
    return stack.isEmpty()
        ? "outside any branch or split"
        : "inside '" + stack.get(stack.size() - 1) + "'";
  }
}
