package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Where node executors call tools: one per runtime, shared by the {@code tool} and {@code agent}
 * executors (they get it from {@link ExecutorSetup#toolBus()}). A bus checks a call against the
 * policy, validates its arguments, runs the tool with a timeout, records the call in the step's
 * {@link CallJournal} and replays it on resume. agent-tools provides the implementation through a
 * {@link ToolBusProvider}; give your own with {@code AgentRuntime.builder().toolBus(...)}.
 *
 * <p>Thread-safe. No method throws for a tool's or caller's fault: problems are {@link
 * ToolResult.Failure} values.
 *
 * @since 0.1
 */
public interface ToolBus extends AutoCloseable {

  /**
   * The bus of a runtime without a {@link ToolBusProvider} (agent-tools not on the classpath): it
   * has no tools, and every check or call fails naming the dependency to add.
   *
   * @return the shared missing bus
   * @since 0.1
   */
  static ToolBus missing() {
    return MissingToolBus.INSTANCE;
  }

  /** Every tool's descriptor, in registration order. */
  List<ToolDescriptor> descriptors();

  /** The descriptor of the tool named {@code name}, if there is one. */
  Optional<ToolDescriptor> descriptor(String name);

  /**
   * Why a call of {@code tool} by {@code agent} (null: a workflow's {@code kind: tool} node),
   * allowed to call {@code allowed} (null: anything), would be refused before its arguments are
   * looked at; empty if it would not be. For load-time checks and for offering a model only the
   * tools it may call.
   */
  Optional<ToolResult.Failure> check(
      String tool, @Nullable String agent, @Nullable Collection<String> allowed);

  /**
   * Why {@code arguments} do not match the tool's schema (the failure a call would return); empty
   * if they do.
   */
  Optional<ToolResult.Failure> validate(String tool, JsonNode arguments);

  /**
   * Calls a tool; never throws for a tool's or caller's fault.
   *
   * @param call what to call, for whom, and where to record it
   * @param decision what to do if the call is a {@link Effect#NON_IDEMPOTENT} one that an earlier
   *     execution started without recording a result; null: the policy's default for the tool
   */
  ToolResult call(Call call, @Nullable Decision decision);

  /** Stops the bus's own threads; calls in flight are interrupted. */
  @Override
  void close();

  /**
   * What to do with a {@link Effect#NON_IDEMPOTENT} call that an earlier execution started without
   * recording a result (its effect may or may not have happened).
   *
   * @since 0.1
   */
  enum Decision {
    /**
     * Do not call the tool; the call fails with {@code INDETERMINATE_EFFECT} and the run waits for
     * a person.
     */
    WAIT,
    /** Call the tool again with the same idempotency key. */
    RETRY,
    /** Do not call the tool; the call succeeds with {@code {"skipped": true, ...}}. */
    SKIP,
    /** Do not call the tool; the call fails ({@code DENIED}, not retried). */
    FAIL
  }

  /**
   * One request to a {@link ToolBus}.
   *
   * @param tool the tool's name
   * @param arguments the arguments object (checked against the tool's schema by the bus)
   * @param agent the calling agent's name, or {@code null} for a {@code kind: tool} node or a
   *     direct call
   * @param allowed the tools the caller may call (an agent's {@code tools:}), or {@code null} for
   *     no restriction
   * @param runId the run the call belongs to
   * @param stepKey the step the call is made in
   * @param index the call's position within the step, from 0
   * @param journal where the call is recorded and replayed from, or {@code null} to record nothing
   * @param cancelled whether the run has been cancelled
   * @since 0.1
   */
  record Call(
      String tool,
      JsonNode arguments,
      @Nullable String agent,
      @Nullable Set<String> allowed,
      String runId,
      String stepKey,
      int index,
      @Nullable CallJournal journal,
      BooleanSupplier cancelled) {

    public Call {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(arguments, "arguments");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(stepKey, "stepKey");
      Objects.requireNonNull(cancelled, "cancelled");
      if (allowed != null) allowed = Set.copyOf(allowed);
      if (index < 0) throw new IllegalArgumentException("index must be >= 0, got " + index);
    }

    /**
     * The {@code index}-th call of a step, recorded in the step's journal, cancelled with its run.
     */
    public static Call inStep(NodeContext context, int index, String tool, JsonNode arguments) {
      Objects.requireNonNull(context, "context");
      return new Call(
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

    /** This call made on behalf of {@code agent}, which may call only {@code tools}. */
    public Call byAgent(String agent, Collection<String> tools) {
      Objects.requireNonNull(agent, "agent");
      Objects.requireNonNull(tools, "tools");
      return new Call(
          tool, arguments, agent, Set.copyOf(tools), runId, stepKey, index, journal, cancelled);
    }

    /** {@code <step key>:<index>}, unique within the run. */
    public String callId() {
      return stepKey + ":" + index;
    }
  }
}
