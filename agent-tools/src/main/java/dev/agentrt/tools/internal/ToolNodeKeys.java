package dev.agentrt.tools.internal;

import dev.agentrt.core.spi.NodeKeys;
import java.util.List;
import java.util.Set;

/**
 * The keys of kind {@code tool}: {@code tool} (required, the tool to call) and {@code args}. Shared
 * by {@link dev.agentrt.tools.ToolNodeExecutor} and {@link ToolNodeExecutorProvider}, so that the
 * loader checks them without creating the executor (or its tool bus). Whether the tool exists and
 * its policy allows it is checked by the executor's {@code validate}, which needs the bus.
 */
public final class ToolNodeKeys {
  /** The node kind. */
  public static final String KIND = "tool";

  /** The keys of kind {@code tool} and their check. */
  public static final NodeKeys KEYS =
      NodeKeys.of(
          Set.of("tool", "args"),
          (node, manifests) ->
              node.tool() != null
                  ? List.of()
                  : List.of(NodeKeys.missing(KIND, "tool", "the name of the tool to call")));

  private ToolNodeKeys() {}
}
