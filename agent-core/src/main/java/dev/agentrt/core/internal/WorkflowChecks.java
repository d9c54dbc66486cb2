package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The rules of workflow files that their records cannot say alone: node kinds, keys used on a kind
 * that does not own them, state paths and templates, and cycles of sub-workflow calls. The keys
 * each kind owns, and their checks (required, naming an existing agent, function, sub-workflow or
 * tool), are the kind's: its executor's {@link NodeKeys}, run here for every node of the kind.
 */
final class WorkflowChecks {
  /** The first-party kinds and the artifact that provides each. */
  static final Map<String, String> FIRST_PARTY_KINDS =
      Map.of(
          "agent", "dev.agentrt:agent-llm",
          "router", "dev.agentrt:agent-llm",
          "tool", "dev.agentrt:agent-tools");

  /**
   * A class of each first-party module, to tell "add the dependency" from "this version lacks the
   * kind".
   */
  static final Map<String, String> FIRST_PARTY_MARKERS =
      Map.of(
          "dev.agentrt:agent-llm", "dev.agentrt.llm.AgentNodeExecutor",
          "dev.agentrt:agent-tools", "dev.agentrt.tools.ToolBus");

  private static boolean onClasspath(@Nullable String className) {
    if (className == null) return false;
    try {
      Class.forName(className, false, WorkflowChecks.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** State roots besides node ids. */
  static final Set<String> SPECIAL_ROOTS =
      Set.of("input", "$loops", "$resume", "$error", "$item", "$index");

  /** Every kind that has an executor (built in, registered or discovered), and its keys. */
  private final Map<String, NodeKeys> kinds;

  /** Each key some kind owns, and the kinds owning it. */
  private final Map<String, Set<String>> owners;

  /**
   * @param kinds every kind that has an executor, built-in kinds included, with the keys it owns
   */
  WorkflowChecks(Map<String, NodeKeys> kinds) {
    this.kinds = Map.copyOf(kinds);
    this.owners = owners(this.kinds);
  }

  static boolean wellFormed(WorkflowSpec wf) {
    for (NodeSpec n : wf.nodes()) {
      if (n == null || n.id() == null) return false;
    }
    for (EdgeSpec e : wf.edges()) {
      if (e == null || e.from() == null || e.to() == null) return false;
    }
    return !wf.nodes().isEmpty();
  }

  void checkNodes(WorkflowSpec wf, ManifestFile f, Manifests manifests) {
    Set<String> roots = new HashSet<>(SPECIAL_ROOTS);
    for (NodeSpec n : wf.nodes()) roots.add(n.id());
    List<NodeSpec> nodes = wf.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec n = nodes.get(i);
      String ptr = "/nodes/" + i;
      String subject = "node '" + n.id() + "': ";
      checkKind(f, ptr, subject, n.kind());
      checkKindKeys(f, ptr, subject, n, manifests);
      checkTemplate(f, ptr + "/template", subject, n.template(), roots);
      checkTemplate(f, ptr + "/args", subject, n.args(), roots);
      checkTemplate(f, ptr + "/output", subject, n.output(), roots);
      if (n.input() != null) {
        for (Map.Entry<String, String> e : n.input().entrySet()) {
          checkPath(
              f, ptr + "/input/" + LocatedTree.escape(e.getKey()), subject, e.getValue(), roots);
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
        f.problem(
            ptr + "/interrupt",
            subject
                + "interrupt: does not apply to the start node (put it on the first node after start)");
      }
    }
  }

  /** A kind that no executor provides: which dependency to add, or the known kinds. */
  private void checkKind(ManifestFile f, String ptr, String subject, @Nullable String kind) {
    if (kind == null || kinds.containsKey(kind)) return;
    String module = FIRST_PARTY_KINDS.get(kind);
    if (module != null && onClasspath(FIRST_PARTY_MARKERS.get(module))) {
      f.problem(
          ptr + "/kind",
          subject
              + "kind '"
              + kind
              + "' has no executor: "
              + module
              + " is on the classpath"
              + " but this version does not provide kind '"
              + kind
              + "'");
    } else if (module != null) {
      f.problem(
          ptr + "/kind",
          subject
              + "kind '"
              + kind
              + "' has no executor on the classpath (add dependency "
              + module
              + ")");
    } else {
      Set<String> known = new TreeSet<>(kinds.keySet());
      known.addAll(FIRST_PARTY_KINDS.keySet());
      String hint = Suggest.didYouMean(kind, known);
      f.problem(
          ptr + "/kind",
          subject
              + "unknown kind '"
              + kind
              + "'"
              + (hint.isEmpty() ? " (known kinds: " + String.join(", ", known) + ")" : hint));
    }
  }

  /**
   * The keys that belong to one kind: a key some kind owns, on a node of another kind; then the
   * owning kind's own check (required keys present, references existing).
   */
  private void checkKindKeys(
      ManifestFile f, String ptr, String subject, NodeSpec n, Manifests manifests) {
    String kind = n.kind();
    NodeKeys own = kind == null ? null : kinds.get(kind);
    // a kind without executor (likely misspelt) is reported: not the keys that then seem out of
    // place or missing
    if (kind != null && own == null) return;
    owners.forEach(
        (key, owning) -> {
          if (f.tree.has(ptr + "/" + key) && (own == null || !own.keys().contains(key)))
            f.problem(
                ptr + "/" + key, subject + key + ": applies to " + kindList(owning) + " only");
        });
    if (own == null) return;
    // an unknown key is likely the required one, misspelt: report that, not the key as missing
    boolean misspeltKey = f.withUnknownKey.contains(ptr);
    for (NodeProblem p : own.check(n, manifests)) {
      if (!p.field().isEmpty()) f.problem(ptr + "/" + p.field(), subject + p.message());
      else if (!misspeltKey) f.problem(ptr, subject + p.message());
    }
  }

  /** {@code kind transform}, {@code kinds echo and ping}, {@code kinds a, b and c}. */
  private static String kindList(Set<String> kinds) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(kinds));
    if (sorted.size() == 1) return "kind " + sorted.get(0);
    String last = sorted.remove(sorted.size() - 1);
    return "kinds " + String.join(", ", sorted) + " and " + last;
  }

  /** Each key some kind owns, and the kinds owning it. */
  private static Map<String, Set<String>> owners(Map<String, NodeKeys> kinds) {
    Map<String, Set<String>> owners = new TreeMap<>();
    kinds.forEach(
        (kind, keys) -> {
          for (String key : keys.keys())
            owners.computeIfAbsent(key, k -> new TreeSet<>()).add(kind);
        });
    return owners;
  }

  private static void checkTemplate(
      ManifestFile f, String ptr, String subject, @Nullable JsonNode value, Set<String> roots) {
    if (value == null) return;
    try {
      Template.compile(value).paths(p -> checkRoot(f, ptr, subject, p, roots));
    } catch (IllegalArgumentException e) {
      f.problem(ptr, subject + "template: " + e.getMessage());
    }
  }

  private static void checkPath(
      ManifestFile f, String ptr, String subject, String path, Set<String> roots) {
    try {
      checkRoot(f, ptr, subject, StatePath.parse(path), roots);
    } catch (IllegalArgumentException e) {
      f.problem(ptr, subject + e.getMessage());
    }
  }

  private static void checkRoot(
      ManifestFile f, String ptr, String subject, StatePath p, Set<String> roots) {
    if (!roots.contains(p.root)) {
      String hint = Suggest.didYouMean(p.root, roots);
      f.problem(
          ptr,
          subject
              + "path '"
              + p.text
              + "': state has no '"
              + p.root
              + "'"
              + (hint.isEmpty()
                  ? " (paths start with input, a node id, $loops, $resume, $error, $item or $index)"
                  : hint));
    }
  }

  static void checkSubWorkflowCycles(
      Map<String, WorkflowSpec> workflows, Map<String, ManifestFile> files) {
    Map<String, Integer> color = new HashMap<>();
    for (String id : workflows.keySet()) {
      // after a cycle the colouring is unfinished: report that one cycle and stop
      if (!cycleSearch(id, workflows, files, color)) return;
    }
  }

  /**
   * Depth-first search for a cycle of sub-workflow calls from {@code root}, iterative (a chain of
   * thousands of workflow files cannot overflow the stack): colour 1 = on the current path, 2 =
   * done. Reports the first cycle found at the node that closes it and returns false.
   */
  private static boolean cycleSearch(
      String root,
      Map<String, WorkflowSpec> workflows,
      Map<String, ManifestFile> files,
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
        files
            .get(id)
            .problem(
                "/nodes/" + i + "/workflow",
                "node '"
                    + n.id()
                    + "': sub-workflows call each other in a cycle: "
                    + String.join(" -> ", cycle)
                    + " (a workflow cannot run itself, directly or through others)");
        return false;
      }
      if (c == 2 || !workflows.containsKey(sub)) continue;
      color.put(sub, 1);
      path.add(sub);
      nextNode.add(new int[] {0});
    }
    return true;
  }
}
