package dev.agentrt.core;

import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import java.nio.file.Path;

/**
 * The repository's own {@code .agent/} directory for agent-core's tests. Its feature-add workflow
 * has {@code kind: agent} and {@code kind: tool} nodes, whose executors live in agent-llm and
 * agent-tools; here they are stand-ins that only let the directory load (examples runs it for
 * real).
 */
public final class ProjectConfig {
  public static final Path DIR = Path.of("../.agent");

  private ProjectConfig() {}

  /** A builder on {@link #DIR} with stand-in executors for the kinds of other modules. */
  public static AgentRuntime.Builder builder() {
    AgentRuntime.Builder b = AgentRuntime.builder().configDir(DIR);
    for (String kind : new String[] {"agent", "tool"}) {
      b.nodeExecutor(
          new NodeExecutor() {
            @Override
            public String kind() {
              return kind;
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
