package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.EdgeSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a workflow as a Mermaid {@code graph TD}; roles by node shape, loop edges with their
 * bound. Nodes are named {@code n0, n1, ...} in file order; the nodes of a path taken are in class
 * {@code taken}, and the edges between two of them are drawn thicker.
 */
public final class Mermaid {
  private Mermaid() {}

  public static String render(WorkflowSpec wf, Set<String> taken) {
    StringBuilder sb = new StringBuilder("graph TD\n");
    Map<String, String> ids = new HashMap<>();
    int i = 0;
    for (NodeSpec n : wf.nodes()) {
      String mid = "n" + i++;
      ids.put(n.id(), mid);
      String label = label(n);
      sb.append("  ").append(mid);
      switch (n.roleOrDefault()) {
        case START:
          sb.append("([\"").append(label).append("\"])");
          break;
        case EXIT:
          sb.append("(((\"").append(label).append("\")))");
          break;
        case DECISION:
          sb.append("{\"").append(label).append("\"}");
          break;
        case BRANCH:
          sb.append("[/\"").append(label).append("\"\\]");
          break;
        case SPLIT:
          sb.append("[/\"").append(label).append("\"/]");
          break;
        case MERGE:
          sb.append("[\\\"").append(label).append("\"/]");
          break;
        default:
          sb.append("[\"").append(label).append("\"]");
          break;
      }
      sb.append('\n');
    }
    List<Integer> takenEdges = new ArrayList<>();
    int edge = 0;
    for (EdgeSpec e : wf.edges()) {
      String from = ids.get(e.from());
      String to = ids.get(e.to());
      if (from == null || to == null) continue;
      if (taken.contains(e.from()) && taken.contains(e.to())) takenEdges.add(edge);
      edge++;
      if (e.loop() != null) {
        String text = (e.when() == null ? "" : e.when() + " ") + "loop max " + e.loop().max();
        sb.append("  ")
            .append(from)
            .append(" -.->|\"")
            .append(escape(text))
            .append("\"| ")
            .append(to)
            .append('\n');
        String ex = ids.get(e.loop().exhausted());
        if (ex != null) {
          if (taken.contains(e.from()) && taken.contains(e.loop().exhausted()))
            takenEdges.add(edge);
          edge++;
          sb.append("  ")
              .append(from)
              .append(" -.->|\"")
              .append(escape("exhausted after " + e.loop().max()))
              .append("\"| ")
              .append(ex)
              .append('\n');
        }
      } else if (e.isErrorEdge()) {
        sb.append("  ").append(from).append(" -.->|\"$error\"| ").append(to).append('\n');
      } else if (e.when() != null) {
        sb.append("  ")
            .append(from)
            .append(" -->|\"")
            .append(escape(e.when()))
            .append("\"| ")
            .append(to)
            .append('\n');
      } else {
        sb.append("  ").append(from).append(" --> ").append(to).append('\n');
      }
    }
    if (!taken.isEmpty()) {
      sb.append("  classDef taken stroke-width:3px,stroke:#1f6feb,fill:#ddf4ff\n");
      List<String> nodes = new ArrayList<>();
      for (NodeSpec n : wf.nodes()) if (taken.contains(n.id())) nodes.add(ids.get(n.id()));
      if (!nodes.isEmpty())
        sb.append("  class ").append(String.join(",", nodes)).append(" taken\n");
      if (!takenEdges.isEmpty()) {
        sb.append("  linkStyle ");
        for (int k = 0; k < takenEdges.size(); k++)
          sb.append(k == 0 ? "" : ",").append(takenEdges.get(k));
        sb.append(" stroke-width:3px,stroke:#1f6feb\n");
      }
    }
    return sb.toString();
  }

  private static String label(NodeSpec n) {
    String kind = n.kind() == null ? "" : "<br/>" + n.kind() + detail(n);
    String interrupt =
        n.interrupt() == null
            ? ""
            : "<br/>interrupt " + n.interrupt().name().toLowerCase(java.util.Locale.ROOT);
    return escape(n.id()) + kind + interrupt;
  }

  private static String detail(NodeSpec n) {
    String d =
        n.agent() != null
            ? n.agent()
            : n.tool() != null
                ? n.tool()
                : n.function() != null ? n.function() : n.workflow() != null ? n.workflow() : null;
    return d == null ? "" : ": " + escape(d);
  }

  private static String escape(String s) {
    return s.replace("\"", "#quot;");
  }
}
