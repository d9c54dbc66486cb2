package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.IdempotencyKeys;
import dev.agentrt.core.spi.NodeContext;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A request to the {@link ToolBus}: which tool, with which arguments, on whose behalf, and where to
 * record it.
 *
 * @param tool the tool's name
 * @param arguments the arguments object (checked against the tool's schema by the bus)
 * @param agent the calling agent's name, or {@code null} for a workflow's {@code kind: tool} node
 *     or a direct call
 * @param allowed the tools the caller may call (an agent's {@code tools:}), or {@code null} for no
 *     restriction
 * @param runId the run the call belongs to
 * @param stepKey the step the call is made in
 * @param index the call's position within the step, from 0
 * @param journal where the call is recorded and replayed from, or {@code null} to record nothing
 * @param cancelled whether the run has been cancelled
 * @since 0.1
 */
public record ToolInvocation(
    String tool,
    JsonNode arguments,
    @Nullable String agent,
    @Nullable Set<String> allowed,
    String runId,
    String stepKey,
    int index,
    @Nullable CallJournal journal,
    BooleanSupplier cancelled) {

  public ToolInvocation {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(stepKey, "stepKey");
    Objects.requireNonNull(cancelled, "cancelled");
    if (allowed != null) allowed = Set.copyOf(allowed);
    if (index < 0) throw new IllegalArgumentException("index must be >= 0, got " + index);
  }

  /** A call outside any run: unrestricted, recorded nowhere, with a fresh idempotency key. */
  public static ToolInvocation of(String tool, JsonNode arguments) {
    return new ToolInvocation(
        tool, arguments, null, null, "direct-" + UUID.randomUUID(), "-", 0, null, () -> false);
  }

  /**
   * The {@code index}-th call of a step, recorded in the step's journal, cancelled with its run.
   */
  public static ToolInvocation inStep(
      NodeContext context, int index, String tool, JsonNode arguments) {
    Objects.requireNonNull(context, "context");
    return new ToolInvocation(
        tool,
        arguments,
        null,
        null,
        context.runId(),
        context.stepKey(),
        index,
        context.calls(),
        context::isCancelled);
  }

  /** This invocation made on behalf of {@code agent}, which may call only {@code tools}. */
  public ToolInvocation byAgent(String agent, Collection<String> tools) {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(tools, "tools");
    return new ToolInvocation(
        tool, arguments, agent, Set.copyOf(tools), runId, stepKey, index, journal, cancelled);
  }

  /** {@code <run id>:<step key>:<index>} ({@link IdempotencyKeys#ofCall}), stable across resume. */
  public String idempotencyKey() {
    return IdempotencyKeys.ofCall(runId, stepKey, index);
  }

  /** {@code <step key>:<index>} ({@link IdempotencyKeys#callId}), unique within the run. */
  public String callId() {
    return IdempotencyKeys.callId(stepKey, index);
  }
}
