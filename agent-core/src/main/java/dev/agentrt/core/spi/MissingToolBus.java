package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The bus of a runtime without a {@link dev.agentrt.core.spi.ToolBusProvider}: it has no tools, and
 * every check or call fails naming the dependency to add, so a node or agent that uses a tool fails
 * validation with that message.
 */
final class MissingToolBus implements ToolBus {
  /** The one instance. */
  public static final MissingToolBus INSTANCE = new MissingToolBus();

  private MissingToolBus() {}

  @Override
  public List<ToolDescriptor> descriptors() {
    return List.of();
  }

  @Override
  public Optional<ToolDescriptor> descriptor(String name) {
    return Optional.empty();
  }

  @Override
  public Optional<ToolResult.Failure> check(
      String tool, @Nullable String agent, @Nullable Collection<String> allowed) {
    return Optional.of(failure(tool));
  }

  @Override
  public Optional<ToolResult.Failure> validate(String tool, JsonNode arguments) {
    return Optional.of(failure(tool));
  }

  @Override
  public ToolResult call(Call call, @Nullable Decision decision) {
    return failure(call.tool());
  }

  @Override
  public void close() {}

  private static ToolResult.Failure failure(String tool) {
    return new ToolResult.Failure(
        dev.agentrt.core.ToolFailureKind.UNKNOWN_TOOL,
        "tool '"
            + tool
            + "' cannot be called: no tool bus is on the classpath (add dependency dev.agentrt:agent-tools,"
            + " or give one with AgentRuntime.builder().toolBus(...))");
  }
}
