package dev.agentrt.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeInput;

/**
 * Java code run by {@code kind: function} nodes, registered by name with {@link
 * AgentRuntime.Builder#function(String, NodeFunction)}.
 *
 * <p>Called concurrently when the workflow runs branches or split items in parallel, so it must be
 * thread-safe. It should return promptly when its thread is interrupted (the run was cancelled or
 * ran out of budget). Returning normally completes the step with the returned output; throwing
 * fails the attempt (and is retried per the node's {@code retry:}).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface NodeFunction {

  /**
   * Runs the node.
   *
   * @param input the node's input: a read-only view of the run state
   * @param context the step's context: run id, step key, attempt, budget, cancellation
   * @return the node's output, stored at {@code state.<node id>}; never {@code null} (use {@code
   *     NullNode.getInstance()} for no output)
   */
  JsonNode apply(NodeInput input, NodeContext context) throws Exception;
}
