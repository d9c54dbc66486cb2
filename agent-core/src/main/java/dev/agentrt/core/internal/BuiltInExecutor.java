package dev.agentrt.core.internal;

import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;

/**
 * The executor of a kind built into the engine ({@code function}, {@code transform}, {@code
 * workflow}). It is found in the same kind table as every other executor, but runs with the
 * engine's own view of the step ({@link StepContext}: the compiled node and its scope), which the
 * public SPI does not show.
 */
abstract class BuiltInExecutor implements NodeExecutor {

  @Override
  public final NodeOutcome execute(NodeInput input, NodeContext context) throws Exception {
    if (context instanceof StepContext step) return execute(step);
    throw outsideTheEngine();
  }

  private IllegalStateException outsideTheEngine() {
    return new IllegalStateException(
        "kind '" + kind() + "' is built into the engine and runs only inside it");
  }

  /** Executes one attempt of {@code step}'s node. */
  abstract NodeOutcome execute(StepContext step) throws Exception;

  /** Prepares a node of this kind when its workflow is compiled (once per node, not per step). */
  void compile(CNode node) {}
}
