package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.ToolDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
