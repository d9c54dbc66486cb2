package dev.agentrt.core.internal;

import static dev.agentrt.core.internal.GraphChecker.edgeSubject;
import static dev.agentrt.core.internal.GraphChecker.nodeSubject;

import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of each role (ARCHITECTURE §3): how many edges leave a node, which take {@code when:},
 * which keys a role takes, one start node. Runs after the edge references are known to be sound.
 */
final class RoleChecks {
  private final GraphChecker g;
  private final Set<String> exhaustedTargets = new HashSet<>();
  private int starts;

  /** The edges leaving one node: the normal ones (with their indexes) and the $error ones. */
  private record Outgoing(List<EdgeSpec> normal, List<Integer> normalIdx, List<Integer> errorIdx) {
    String ptr(int k) {
      return "/edges/" + normalIdx.get(k);
    }
  }

  RoleChecks(GraphChecker g) {
    this.g = g;
  }

  void check() {
    for (EdgeSpec e : g.wf.edges()) {
      if (e != null && e.loop() != null && e.loop().exhausted() != null)
        exhaustedTargets.add(e.loop().exhausted());
    }
    for (int i = 0; i < g.wf.nodes().size(); i++) {
      NodeSpec n = g.wf.nodes().get(i);
      // a duplicate id was reported; its later nodes are not checked again
      if (n == null || n.id() == null || g.index.get(n.id()) != i) continue;
      checkNode(n);
    }
    if (starts == 0) {
      g.sink.problem(
          "/nodes",
          "workflow '"
              + g.wf.id()
              + "': no start node (add {id: start, role: start} and an edge from it)");
    }
  }

  private void checkNode(NodeSpec n) {
    String ptr = g.nodePtr(n.id());
    Role role = n.roleOrDefault();
    Outgoing o = outgoing(n);
    checkKindAndErrorEdges(n, ptr, role, o);
    switch (role) {
      case START -> checkStart(n, ptr, o);
      case LINEAR -> exactlyOne(n, ptr, o, "linear");
      case MERGE -> {
        if (g.in.get(n.id()).isEmpty() && !exhaustedTargets.contains(n.id())) {
          g.sink.problem(ptr, nodeSubject(n) + ": no edge enters this merge");
        }
        exactlyOne(n, ptr, o, "merge");
      }
      case DECISION -> checkDecision(n, ptr, o);
      case BRANCH, SPLIT -> checkFork(n, ptr, role, o);
      case EXIT -> {
        for (int j : g.out.get(n.id())) {
          g.sink.problem(
              "/edges/" + j,
              edgeSubject(g.wf.edges().get(j)) + ": no edge may leave exit '" + n.id() + "'");
        }
      }
    }
    if (role != Role.DECISION && role != Role.BRANCH && role != Role.SPLIT) {
      checkNoWhen(n, role, o);
    }
    checkRoleKeys(n, ptr, role);
  }

  private Outgoing outgoing(NodeSpec n) {
    Outgoing o = new Outgoing(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int j : g.out.get(n.id())) {
      EdgeSpec e = g.wf.edges().get(j);
      if (e.isErrorEdge()) {
        o.errorIdx.add(j);
      } else {
        o.normal.add(e);
        o.normalIdx.add(j);
      }
    }
    return o;
  }

  /** A role that runs nothing takes no kind; $error edges need a kind, and only one. */
  private void checkKindAndErrorEdges(NodeSpec n, String ptr, Role role, Outgoing o) {
    String subject = nodeSubject(n);
    if ((role == Role.START || role == Role.MERGE || role == Role.EXIT) && n.kind() != null) {
      g.sink.problem(
          ptr + "/kind",
          subject
              + ": role "
              + role.yamlName()
              + " runs nothing, so it takes no kind"
              + " (move kind '"
              + n.kind()
              + "' to a node of its own)");
    }
    if (o.errorIdx.size() > 1) {
      g.sink.problem("/edges/" + o.errorIdx.get(1), subject + ": more than one $error edge");
    }
    if (!o.errorIdx.isEmpty() && n.kind() == null) {
      g.sink.problem(
          "/edges/" + o.errorIdx.get(0),
          subject + ": an $error edge needs a node that runs something (a kind)");
    }
  }

  private void checkStart(NodeSpec n, String ptr, Outgoing o) {
    starts++;
    if (starts > 1)
      g.sink.problem(
          ptr + "/role", nodeSubject(n) + ": a second start node (a workflow has exactly one)");
    for (int j : g.in.get(n.id())) {
      g.sink.problem(
          "/edges/" + j + "/to",
          edgeSubject(g.wf.edges().get(j)) + ": no edge may enter the start node");
    }
    exactlyOne(n, ptr, o, "start");
  }

  /** A decision routes on its kind's output, over edges with distinct when: and one default. */
  private void checkDecision(NodeSpec n, String ptr, Outgoing o) {
    String subject = nodeSubject(n);
    if (n.kind() == null) {
      g.sink.problem(
          ptr, subject + ": role decision needs a kind that produces the value to route on");
    }
    if (o.normal.isEmpty()) {
      g.sink.problem(ptr, subject + ": no outgoing edge (a decision needs edges with when:)");
    }
    Set<String> whens = new HashSet<>();
    int defaults = 0;
    for (int k = 0; k < o.normal.size(); k++) {
      EdgeSpec e = o.normal.get(k);
      if (e.when() == null) {
        if (++defaults > 1) {
          g.sink.problem(
              o.ptr(k),
              edgeSubject(e)
                  + ": a second default edge (edges without when:) leaving decision '"
                  + n.id()
                  + "'");
        }
      } else if (!whens.add(e.when())) {
        g.sink.problem(
            o.ptr(k) + "/when",
            edgeSubject(e)
                + ": when '"
                + e.when()
                + "' is already taken by an earlier edge of '"
                + n.id()
                + "'");
      }
    }
  }

  /** A branch takes all its edges; a split has one, to the first node of each sub-task. */
  private void checkFork(NodeSpec n, String ptr, Role role, Outgoing o) {
    String subject = nodeSubject(n);
    String r = role.yamlName();
    if (o.normal.isEmpty()) g.sink.problem(ptr, subject + ": no outgoing edge");
    if (role == Role.SPLIT && o.normal.size() > 1) {
      g.sink.problem(
          o.ptr(1),
          subject
              + ": a split has one outgoing edge, to the first node of"
              + " each sub-task (found "
              + o.normal.size()
              + ")");
    }
    if (role == Role.SPLIT && n.kind() == null && n.items() == null) {
      g.sink.problem(
          ptr,
          subject
              + ": a split needs items: (a state path to an array) or a kind whose output is an array");
    }
    for (int k = 0; k < o.normal.size(); k++) {
      EdgeSpec e = o.normal.get(k);
      if (e.when() != null) {
        g.sink.problem(
            o.ptr(k) + "/when",
            edgeSubject(e)
                + ": when: applies to edges leaving a"
                + " decision; a "
                + r
                + " takes all its edges");
      }
      if (e.loop() != null) {
        g.sink.problem(o.ptr(k) + "/loop", edgeSubject(e) + ": a loop edge cannot leave a " + r);
      }
    }
  }

  private void checkNoWhen(NodeSpec n, Role role, Outgoing o) {
    for (int k = 0; k < o.normal.size(); k++) {
      if (o.normal.get(k).when() != null) {
        g.sink.problem(
            o.ptr(k) + "/when",
            edgeSubject(o.normal.get(k))
                + ": when: applies to edges leaving a decision ('"
                + n.id()
                + "' is "
                + role.yamlName()
                + ")");
      }
    }
  }

  /** The node keys that belong to one role. */
  private void checkRoleKeys(NodeSpec n, String ptr, Role role) {
    String subject = nodeSubject(n);
    if (n.route() != null && role != Role.DECISION) {
      g.sink.problem(ptr + "/route", subject + ": route: applies to role decision only");
    }
    if (n.items() != null && role != Role.SPLIT) {
      g.sink.problem(ptr + "/items", subject + ": items: applies to role split only");
    }
    if (n.output() != null && role != Role.EXIT) {
      g.sink.problem(ptr + "/output", subject + ": output: applies to role exit only");
    }
    if (n.continueOnFailure() != null && role != Role.BRANCH && role != Role.SPLIT) {
      g.sink.problem(
          ptr + "/continue_on_failure",
          subject + ": continue_on_failure: applies to branch and split nodes only");
    }
  }

  private void exactlyOne(NodeSpec n, String ptr, Outgoing o, String role) {
    if (o.normal.isEmpty()) {
      g.sink.problem(
          ptr,
          nodeSubject(n)
              + ": no outgoing edge (add an edge from '"
              + n.id()
              + "', or make it role: exit)");
    } else if (o.normal.size() > 1) {
      g.sink.problem(
          o.ptr(1),
          nodeSubject(n)
              + ": "
              + o.normal.size()
              + " outgoing edges, but role "
              + role
              + " takes one (use role: decision with when:, or role: branch)");
    }
  }
}
