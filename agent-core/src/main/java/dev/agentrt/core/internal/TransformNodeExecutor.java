package dev.agentrt.core.internal;

import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import java.util.List;
import java.util.Set;

/** Kind {@code transform}: builds its output from state with its {@code template:}. */
final class TransformNodeExecutor extends BuiltInExecutor {
  static final String KIND = "transform";

  /** Key {@code template}: required. */
  static final NodeKeys KEYS =
      NodeKeys.of(
          Set.of("template"),
          (node, manifests) ->
              node.template() != null
                  ? List.of()
                  : List.of(NodeKeys.missing(KIND, "template", "the value to build from state")));

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return KEYS;
  }

  @Override
  NodeOutcome execute(StepContext step) {
    try {
      return new NodeOutcome.Completed(step.node.template.evaluate(step.scope.roots));
    } catch (Template.TemplateException e) {
      return new NodeOutcome.Failed(e.getMessage(), null, false);
    }
  }
}
