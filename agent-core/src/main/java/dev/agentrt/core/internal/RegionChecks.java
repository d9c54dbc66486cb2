package dev.agentrt.core.internal;

import static dev.agentrt.core.internal.GraphChecker.edgeSubject;
import static dev.agentrt.core.internal.GraphChecker.nodeSubject;

import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Regions (ARCHITECTURE §3): gives every node the stack of branches and splits enclosing it, pairs
 * each fork with the one merge its paths reach, and checks that exits, loop edges and branch paths
 * respect those regions. Runs on an acyclic graph whose edge references are sound.
 */
final class RegionChecks {
  private final GraphChecker g;

  /** The forks enclosing each node reached, innermost last. */
  private final Map<String, List<String>> stackOf = new HashMap<>();

  /** The stack with which each merge was first entered. */
  private final Map<String, List<String>> mergeInner = new HashMap<>();

  /** Mistakes already reported: one mistake, one message. */
  private final Set<String> reported = new HashSet<>();

  /** A node to visit, with the forks enclosing the path that reached it. */
  private record Visit(String id, List<String> stack) {}

  RegionChecks(GraphChecker g) {
    this.g = g;
  }

  void check() {
    String start = null;
    for (NodeSpec n : g.wf.nodes()) {
      if (n.roleOrDefault() == Role.START) start = n.id();
    }
    if (start == null) return;
    walk(start);
    reportOpenForks();
    checkLoopEdges();
    checkBranchesDisjoint();
  }

  private void walk(String start) {
    Deque<Visit> todo = new ArrayDeque<>();
    todo.push(new Visit(start, List.of()));
    while (!todo.isEmpty()) {
      Visit v = todo.pop();
      NodeSpec n = g.node(v.id);
      Role role = n.roleOrDefault();
      List<String> own = role == Role.MERGE ? closeFork(v.id, n, v.stack) : v.stack;
      if (own == null || !enter(v.id, n, own)) continue;
      if (role == Role.EXIT && !own.isEmpty()) {
        g.sink.problem(
            g.nodePtr(v.id),
            nodeSubject(n)
                + ": reached inside "
                + describe(own)
                + " before its merge (every path of '"
                + own.get(own.size() - 1)
                + "' must reach a merge node before it can exit)");
        continue;
      }
      List<String> next = own;
      if (role == Role.BRANCH || role == Role.SPLIT) {
        List<String> deeper = new ArrayList<>(own);
        deeper.add(v.id);
        next = List.copyOf(deeper);
      }
      // push in reverse so that successors are visited in file order and messages name things in
      // that order
      List<String> succ = g.forward(v.id);
      for (int k = succ.size() - 1; k >= 0; k--) todo.push(new Visit(succ.get(k), next));
    }
  }

  /**
   * The stack after merge {@code id}, entered with {@code stack}, closes the innermost fork; null
   * when the merge is misplaced (reported once).
   */
  private @Nullable List<String> closeFork(String id, NodeSpec n, List<String> stack) {
    if (stack.isEmpty()) {
      if (reported.add("merge:" + id)) {
        g.sink.problem(g.nodePtr(id), nodeSubject(n) + ": no branch or split before this merge");
      }
      return null;
    }
    List<String> inner = mergeInner.putIfAbsent(id, stack);
    if (inner != null && !inner.equals(stack)) {
      if (reported.add("mergeinner:" + id)) {
        // the forks concerned are not also reported as never reaching a merge
        reported.add("open:" + inner.get(inner.size() - 1));
        reported.add("open:" + stack.get(stack.size() - 1));
        g.sink.problem(
            g.nodePtr(id),
            nodeSubject(n)
                + ": entered from inside "
                + describe(inner)
                + " and from inside "
                + describe(stack)
                + " (each branch or split needs its own merge)");
      }
      return null;
    }
    String fork = stack.get(stack.size() - 1);
    String prev = g.mergeOf.putIfAbsent(fork, id);
    if (prev != null && !prev.equals(id)) {
      if (reported.add("fork:" + fork)) {
        g.sink.problem(
            g.nodePtr(fork),
            nodeSubject(g.node(fork))
                + ": its paths end at two merges, '"
                + prev
                + "' and '"
                + id
                + "' (every path of a "
                + g.node(fork).roleOrDefault().yamlName()
                + " must reach the same merge)");
      }
      return null;
    }
    return stack.subList(0, stack.size() - 1);
  }

  /**
   * Records the region of a node reached for the first time; false when it was reached before (a
   * different region is reported once).
   */
  private boolean enter(String id, NodeSpec n, List<String> own) {
    List<String> seen = stackOf.get(id);
    if (seen == null) {
      stackOf.put(id, own);
      return true;
    }
    if (!seen.equals(own) && reported.add("node:" + id)) {
      g.sink.problem(
          g.nodePtr(id),
          nodeSubject(n)
              + ": reached both "
              + where(seen)
              + " and "
              + where(own)
              + " (a node belongs to one region; close the branch or split with a merge first)");
    }
    return false;
  }

  private void reportOpenForks() {
    for (NodeSpec n : g.wf.nodes()) {
      Role r = n.roleOrDefault();
      if ((r == Role.BRANCH || r == Role.SPLIT)
          && stackOf.containsKey(n.id())
          && !g.mergeOf.containsKey(n.id())
          && reported.add("open:" + n.id())) {
        g.sink.problem(
            g.nodePtr(n.id()),
            nodeSubject(n)
                + ": its paths never reach a merge (add a role: merge node where they meet)");
      }
    }
  }

  /** Loop edges stay inside their region. */
  private void checkLoopEdges() {
    for (int j = 0; j < g.wf.edges().size(); j++) {
      EdgeSpec e = g.wf.edges().get(j);
      if (e == null
          || e.loop() == null
          || !g.index.containsKey(e.from())
          || !g.index.containsKey(e.to())) continue;
      List<String> from = stackOf.get(e.from());
      List<String> to = stackOf.get(e.to());
      if (from != null && to != null && !from.equals(to)) {
        g.sink.problem(
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
  }

  /** The paths of a branch share no node before its merge (the first shared node is reported). */
  private void checkBranchesDisjoint() {
    for (Map.Entry<String, String> fm : g.mergeOf.entrySet()) {
      NodeSpec fork = g.node(fm.getKey());
      if (fork.roleOrDefault() != Role.BRANCH) continue;
      Map<String, String> owner = new HashMap<>();
      for (int j : g.out.get(fork.id())) {
        EdgeSpec e = g.wf.edges().get(j);
        if (e.isErrorEdge()) continue;
        Deque<String> todo = new ArrayDeque<>(List.of(e.to()));
        Set<String> mine = new HashSet<>();
        while (!todo.isEmpty()) {
          String id = todo.pop();
          if (id.equals(fm.getValue()) || !mine.add(id)) continue;
          String prev = owner.putIfAbsent(id, e.to());
          if (prev != null && !prev.equals(e.to())) {
            g.sink.problem(
                g.nodePtr(id),
                nodeSubject(g.node(id))
                    + ": on two paths of branch '"
                    + fork.id()
                    + "' (from '"
                    + prev
                    + "' and from '"
                    + e.to()
                    + "'); give each path its own nodes");
            return;
          }
          todo.addAll(g.forward(id));
        }
      }
    }
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
