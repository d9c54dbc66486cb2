package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The rules of workflow files that their records cannot say alone: node kinds and the keys each
 * kind takes, references to agents, functions and sub-workflows, state paths and templates, and
 * cycles of sub-workflow calls.
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

  private final ManifestReader.KindCatalog kinds;
  private final Set<String> functions;

  WorkflowChecks(ManifestReader.KindCatalog kinds, Set<String> functions) {
    this.kinds = kinds;
    this.functions = functions;
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

  void checkNodes(
      WorkflowSpec wf, ManifestFile f, Map<String, AgentSpec> agents, Set<String> workflowIds) {
    Set<String> roots = new HashSet<>(SPECIAL_ROOTS);
    for (NodeSpec n : wf.nodes()) roots.add(n.id());
    List<NodeSpec> nodes = wf.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec n = nodes.get(i);
      String ptr = "/nodes/" + i;
      String subject = "node '" + n.id() + "': ";
      checkKind(f, ptr, subject, n.kind());
      checkKindKeys(f, ptr, subject, n, agents, workflowIds);
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
    if (kind == null || ManifestReader.BUILT_IN_KINDS.contains(kind) || kinds.available(kind))
      return;
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
      Set<String> known = new TreeSet<>(ManifestReader.BUILT_IN_KINDS);
      known.addAll(kinds.kinds());
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

  /** The keys that belong to one kind: present only on it, required by it, naming what exists. */
  private void checkKindKeys(
      ManifestFile f,
      String ptr,
      String subject,
      NodeSpec n,
      Map<String, AgentSpec> agents,
      Set<String> workflowIds) {
    String kind = n.kind();
    // an unknown kind (likely misspelt) or key: report that, not the keys that then seem out of
    // place or missing
    boolean kindKnown =
        kind == null
            || ManifestReader.BUILT_IN_KINDS.contains(kind)
            || kinds.available(kind)
            || FIRST_PARTY_KINDS.containsKey(kind);
    boolean misspeltKey = f.withUnknownKey.contains(ptr);
    if (kindKnown) {
      applies(
          f,
          ptr,
          subject,
          "template",
          n.template() != null,
          "transform".equals(kind),
          "kind transform");
      applies(
          f,
          ptr,
          subject,
          "function",
          n.function() != null,
          "function".equals(kind),
          "kind function");
      applies(
          f,
          ptr,
          subject,
          "workflow",
          n.workflow() != null,
          "workflow".equals(kind),
          "kind workflow");
      applies(
          f,
          ptr,
          subject,
          "agent",
          n.agent() != null,
          "agent".equals(kind) || "router".equals(kind),
          "kinds agent and router");
      applies(f, ptr, subject, "tool", n.tool() != null, "tool".equals(kind), "kind tool");
      applies(f, ptr, subject, "args", n.args() != null, "tool".equals(kind), "kind tool");
    }
    if ("transform".equals(kind) && n.template() == null && !misspeltKey) {
      f.problem(ptr, subject + "kind transform needs template: (the value to build from state)");
    }
    if ("function".equals(kind)) {
      if (n.function() == null) {
        if (!misspeltKey)
          f.problem(
              ptr,
              subject
                  + "kind function needs function: (the name of a function registered on the builder)");
      } else if (!functions.contains(n.function())) {
        String hint = Suggest.didYouMean(n.function(), functions);
        f.problem(
            ptr + "/function",
            subject
                + "function '"
                + n.function()
                + "' is not registered"
                + (hint.isEmpty()
                    ? " (register it with AgentRuntime.builder().function(\""
                        + n.function()
                        + "\", ...))"
                    : hint));
      }
    }
    if ("workflow".equals(kind)) {
      if (n.workflow() == null) {
        if (!misspeltKey)
          f.problem(ptr, subject + "kind workflow needs workflow: (the id of the sub-workflow)");
      } else if (!workflowIds.contains(n.workflow())) {
        f.problem(
            ptr + "/workflow",
            subject
                + "no workflow '"
                + n.workflow()
                + "'"
                + Suggest.didYouMean(n.workflow(), workflowIds));
      }
    }
    if ("agent".equals(kind) && n.agent() == null && !misspeltKey) {
      f.problem(ptr, subject + "kind agent needs agent: (the name of an agent in agents/)");
    }
    if (n.agent() != null && !agents.containsKey(n.agent())) {
      f.problem(
          ptr + "/agent",
          subject
              + "no agent '"
              + n.agent()
              + "'"
              + Suggest.didYouMean(n.agent(), agents.keySet()));
    }
    if ("tool".equals(kind) && n.tool() == null && !misspeltKey) {
      f.problem(ptr, subject + "kind tool needs tool: (the name of the tool to call)");
    }
  }

  private static void applies(
      ManifestFile f,
      String ptr,
      String subject,
      String key,
      boolean present,
      boolean ok,
      String what) {
    if (present && !ok)
      f.problem(ptr + "/" + key, subject + key + ": applies to " + what + " only");
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
