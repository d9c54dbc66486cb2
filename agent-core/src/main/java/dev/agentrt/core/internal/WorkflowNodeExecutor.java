package dev.agentrt.core.internal;

import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Set;

/**
 * Kind {@code workflow}: walks the sub-workflow named by {@code workflow:} inside the step, in a
 * scope of its own whose step keys are prefixed with the step's key (and attempt, from the second).
 */
final class WorkflowNodeExecutor extends BuiltInExecutor {
  static final String KIND = "workflow";

  /**
   * Key {@code workflow}: required, naming a loaded workflow (cycles of calls are a check across
   * workflows, made by the reader).
   */
  static final NodeKeys KEYS = NodeKeys.of(Set.of("workflow"), WorkflowNodeExecutor::check);

  private static List<NodeProblem> check(NodeSpec node, Manifests manifests) {
    String id = node.workflow();
    if (id == null)
      return List.of(NodeKeys.missing(KIND, "workflow", "the id of the sub-workflow"));
    Set<String> ids = manifests.workflows().keySet();
    if (ids.contains(id)) return List.of();
    return List.of(
        new NodeProblem("workflow", "no workflow '" + id + "'" + Suggest.didYouMean(id, ids)));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return KEYS;
  }

  @Override
  void compile(CNode node) {
    node.subWorkflow = node.spec.workflow();
  }

  @Override
  NodeOutcome execute(StepContext step) {
    RunExecution run = step.run;
    CNode node = step.node;
    Scope s = step.scope;
    CompiledWorkflow sub = run.engine.compiled(node.subWorkflow);
    String prefix = step.key + (step.attempt > 1 ? "~" + step.attempt : "") + "/";
    StateMap state = new StateMap(null);
    state.put("input", node.inputMapping != null ? step.value() : s.state.get("input"));
    if (sub.initialLoops != null) state.put("$loops", sub.initialLoops);
    Scope child =
        new Scope(
            run,
            s.group,
            sub,
            prefix,
            step.pos,
            state,
            run.tracing.enabled ? Context.current() : null);
    End end = run.runner.walk(child, sub.start, null);
    switch (end.kind) {
      case EXITED:
        return new NodeOutcome.Completed(end.output);
      case SUSPENDED:
        return new NodeOutcome.Suspended(
            end.reason, "sub-workflow '" + sub.id + "' waits: " + end.message);
      case STOPPED:
      case CANCELLED:
        return new NodeOutcome.Failed("cancelled", null, false);
      default:
        return new NodeOutcome.Failed(
            "sub-workflow '" + sub.id + "' failed: " + end.message, null, false);
    }
  }
}
