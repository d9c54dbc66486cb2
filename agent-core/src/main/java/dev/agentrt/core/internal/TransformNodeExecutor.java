package dev.agentrt.core.internal;

import dev.agentrt.core.spi.NodeOutcome;

/** Kind {@code transform}: builds its output from state with its {@code template:}. */
final class TransformNodeExecutor extends BuiltInExecutor {
  static final String KIND = "transform";

  @Override
  public String kind() {
    return KIND;
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
