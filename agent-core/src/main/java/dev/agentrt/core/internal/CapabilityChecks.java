package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.ToolDescriptor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code requires:}: every tag a node requires is provided by some agent, tool or node of the
 * configuration (the tools being those known at load time).
 */
final class CapabilityChecks {
  private CapabilityChecks() {}

  static void checkRequires(
      Manifests manifests, Supplier<List<ToolDescriptor>> tools, Map<String, ManifestFile> files) {
    Set<String> provided = null;
    for (WorkflowSpec wf : manifests.workflows().values()) {
      if (!WorkflowChecks.wellFormed(wf)) continue;
      ManifestFile f = files.get(wf.id());
      List<NodeSpec> nodes = wf.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        List<String> requires = nodes.get(i).requires();
        if (requires == null) continue;
        if (provided == null) provided = Capabilities.of(manifests, tools.get()).tags();
        for (int j = 0; j < requires.size(); j++) {
          String tag = requires.get(j);
          // a malformed tag is reported by the binder
          if (tag == null || !Capabilities.isTag(tag) || provided.contains(tag)) continue;
          f.problem(
              "/nodes/" + i + "/requires/" + j,
              "node '"
                  + nodes.get(i).id()
                  + "': requires: no agent, tool or node provides tag '"
                  + tag
                  + "'"
                  + hint(tag, provided));
        }
      }
    }
  }

  /**
   * A tag listed twice in an agent's {@code tags:} or a node's {@code tags:} or {@code requires:}.
   */
  static void checkDuplicates(
      Map<String, AgentSpec> agents,
      Map<String, ManifestFile> agentFiles,
      Map<String, WorkflowSpec> workflows,
      Map<String, ManifestFile> workflowFiles) {
    for (AgentSpec a : agents.values()) {
      duplicates(agentFiles.get(a.name()), "", "agent '" + a.name() + "': ", "tags", a.tags());
    }
    for (WorkflowSpec wf : workflows.values()) {
      if (!WorkflowChecks.wellFormed(wf)) continue;
      ManifestFile f = workflowFiles.get(wf.id());
      for (int i = 0; i < wf.nodes().size(); i++) {
        NodeSpec n = wf.nodes().get(i);
        String subject = "node '" + n.id() + "': ";
        duplicates(f, "/nodes/" + i, subject, "tags", n.tags());
        duplicates(f, "/nodes/" + i, subject, "requires", n.requires());
      }
    }
  }

  private static void duplicates(
      ManifestFile f, String ptr, String subject, String key, @Nullable List<String> tags) {
    if (tags == null) return;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String t = tags.get(i);
      if (t != null && !seen.add(t)) {
        f.problem(
            ptr + "/" + key + "/" + i,
            subject + key + "[" + i + "]: '" + t + "' is listed twice (list each tag once)");
      }
    }
  }

  private static String hint(String tag, Set<String> provided) {
    String hint = Suggest.didYouMean(tag, provided);
    if (!hint.isEmpty()) return hint;
    if (provided.isEmpty())
      return " (nothing has tags yet: give the agent, tool or node that should provide it tags: ["
          + tag
          + "])";
    return " (tags provided: "
        + String.join(", ", provided)
        + "; or add it to the tags: of"
        + " the agent or node that provides it)";
  }
}
