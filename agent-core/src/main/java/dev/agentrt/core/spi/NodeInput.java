package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.NodeSpec;

/**
 * The input of one node execution: a read-only view of the run state. Implemented by the engine.
 *
 * <p>Reading is cheap: {@link #get(String)} does not copy the state. Treat every returned {@link
 * JsonNode} as immutable; the engine shares them between steps.
 *
 * @since 0.1
 */
public interface NodeInput {

  /** The node being executed, as written in its workflow. */
  NodeSpec node();

  /**
   * The value at a dot-path of the run state ({@code input.request}, {@code plan.items.0}, {@code
   * $loops.review->implement.remaining}), or a {@code MissingNode} if there is none.
   */
  JsonNode get(String path);

  /**
   * The node's input: the object built from the node's {@code input:} mapping when it declares one,
   * otherwise the whole run state as an object. Built on first call.
   */
  JsonNode value();
}
