package dev.agentrt.core;

import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The repository's own {@code .agent/} directory for agent-core's tests. Its workflows have {@code
 * kind: agent}, {@code kind: tool} and {@code kind: router} nodes, whose executors live in
 * agent-llm and agent-tools; here they are stand-ins that only let the directory load (examples
 * runs it for real). The router stand-in owns the {@code router:} key and checks nothing.
 */
public final class ProjectConfig {
  public static final Path DIR = Path.of("../.agent");

  private ProjectConfig() {}

  /** A builder on {@link #DIR} with stand-in executors for the kinds of other modules. */
  public static AgentRuntime.Builder builder() {
    AgentRuntime.Builder b = AgentRuntime.builder().configDir(DIR);
    for (String kind : new String[] {"agent", "tool", "router"}) {
      b.nodeExecutor(
          new NodeExecutor() {
            @Override
            public String kind() {
              return kind;
            }

            @Override
            public NodeKeys nodeKeys() {
              return kind.equals("router")
                  ? NodeKeys.of(Set.of("router"), (node, manifests) -> List.of())
                  : NodeKeys.none();
            }

            @Override
            public NodeOutcome execute(NodeInput input, NodeContext context) {
              throw new UnsupportedOperationException(
                  "kind '" + kind + "' is not run in agent-core's tests");
            }
          });
    }
    return b;
  }
}
