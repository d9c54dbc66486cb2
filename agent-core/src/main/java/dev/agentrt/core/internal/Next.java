package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.internal.CompiledWorkflow.CEdge;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import org.jspecify.annotations.Nullable;

/** The result of one step: where to go next, or how the walk ends. */
final class Next {
  final @Nullable CNode node;
  final @Nullable End end;
  final JsonNode output;
  @Nullable CEdge edge;
  String reason = "next";

  /** The {@code when:} an embedded router recommended for this decision, if one did. */
  @Nullable String recommended;

  Next(@Nullable CNode node, @Nullable End end, JsonNode output) {
    this.node = node;
    this.end = end;
    this.output = output;
  }

  /** The walk ends here with {@code end}. */
  static Next end(End end) {
    return new Next(null, end, NullNode.getInstance());
  }

  Next recommended(@Nullable String when) {
    this.recommended = when;
    return this;
  }

  Next withEdge(CEdge e, String why) {
    this.edge = e;
    this.reason = why;
    return this;
  }
}
