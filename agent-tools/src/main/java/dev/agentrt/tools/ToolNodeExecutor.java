package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.Templates;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.internal.ToolNodeKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs {@code kind: tool} nodes: evaluates {@code args:} against state (like a {@code transform}
 * template), makes one call through the {@link ToolBus}, and completes with the tool's result. The
 * call's idempotency key is {@code <run id>:<step key>:<attempt - 1>}, so a retried attempt is a
 * new request while a resumed one is the same request.
 *
 * <p>Outcomes: a success completes the node with the tool's value; a denied, unknown or invalid
 * call fails it without retry; a tool error or timeout fails it retryably; a non-idempotent call
 * that an earlier execution started without recording a result suspends the run with {@code
 * INDETERMINATE_EFFECT}, unless {@code policy.tools.<name>.on_indeterminate} decides it.
 *
 * <p>A person decides such a call by resuming the run with {@code {"effect": "retry"}} (call the
 * tool again with the same idempotency key), {@code {"effect": "skip"}} (complete the node without
 * calling the tool, with output {@code {"skipped": true, "tool": <name>, "call": <call id>}}) or
 * {@code {"effect": "fail"}} (fail the node, without retry); see {@link OnIndeterminate}. Any other
 * {@code effect} fails the node with a message listing the three.
 *
 * <p>Each call is published to the run's listeners as a {@link RunEvent.ToolCalled} (tool name,
 * step, call index, failure kind, duration; no argument or result values).
 *
 * <p>Register one built on your own bus with {@code AgentRuntime.builder().nodeExecutor(...)}; by
 * default agent-tools provides one through ServiceLoader that calls the runtime's one bus, built
 * from {@code config.yml}'s {@code policy:} with the tools registered with {@code
 * AgentRuntime.builder().tool(...)} and every discovered tool.
 *
 * @since 0.1
 */
public final class ToolNodeExecutor implements NodeExecutor {
  private final dev.agentrt.core.spi.ToolBus bus;
  private final Map<NodeSpec, Templates> templates = new ConcurrentHashMap<>();

  private ToolNodeExecutor(dev.agentrt.core.spi.ToolBus bus) {
    this.bus = bus;
  }

  /**
   * An executor calling tools through {@code bus} (a {@link ToolBus}, or the runtime's bus from
   * {@link dev.agentrt.core.spi.ExecutorSetup#toolBus()}); it does not close the bus.
   */
  public static ToolNodeExecutor of(dev.agentrt.core.spi.ToolBus bus) {
    return new ToolNodeExecutor(Objects.requireNonNull(bus, "bus"));
  }

  /** The bus calls go through. */
  public dev.agentrt.core.spi.ToolBus bus() {
    return bus;
  }

  @Override
  public String kind() {
    return ToolNodeKeys.KIND;
  }

  /** Keys {@code tool} (required) and {@code args}. */
  @Override
  public NodeKeys nodeKeys() {
    return ToolNodeKeys.KEYS;
  }

  @Override
  public List<NodeProblem> validate(NodeSpec node, Manifests manifests) {
    List<NodeProblem> problems = new ArrayList<>();
    String tool = node.tool();
    if (tool == null) return problems; // the loader reports the missing key (nodeKeys)
    Optional<ToolResult.Failure> denied = bus.check(tool, null, null);
    if (denied.isPresent()) {
      problems.add(new NodeProblem("tool", denied.get().message()));
      return problems;
    }
    JsonNode args = node.args();
    if (args == null) args = JsonNodeFactory.instance.objectNode();
    if (!args.isObject()) {
      problems.add(
          new NodeProblem(
              "args",
              "args: must be a mapping of argument names to values, got "
                  + args.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
      return problems;
    }
    Templates t;
    try {
      t = Templates.compile(args);
    } catch (IllegalArgumentException e) {
      return problems; // the loader reports malformed template paths
    }
    if (t.isConstant()) {
      bus.validate(tool, args).ifPresent(f -> problems.add(new NodeProblem("args", f.message())));
    }
    return problems;
  }

  @Override
  public NodeOutcome execute(NodeInput input, NodeContext context) {
    NodeSpec node = input.node();
    String tool = node.tool();
    if (tool == null)
      return new NodeOutcome.Failed("node '" + node.id() + "' has no tool:", null, false);
    JsonNode args;
    try {
      args =
          node.args() == null
              ? JsonNodeFactory.instance.objectNode()
              : templates.computeIfAbsent(node, n -> Templates.compile(n.args())).evaluate(input);
    } catch (Templates.MissingPathException e) {
      return new NodeOutcome.Failed(
          "node '" + node.id() + "': args: " + e.getMessage(), null, false);
    }
    int index = context.attempt() - 1;
    dev.agentrt.core.spi.ToolBus.Call inv =
        dev.agentrt.core.spi.ToolBus.Call.inStep(context, index, tool, args);
    JsonNode given = input.get("$resume." + node.id() + ".effect");
    OnIndeterminate decision = null;
    if (!given.isMissingNode() && !given.isNull()) {
      decision = given.isTextual() ? OnIndeterminate.parse(given.asText()) : null;
      if (decision == null || decision == OnIndeterminate.WAIT) {
        return new NodeOutcome.Failed(
            "node '"
                + node.id()
                + "': resume input effect: '"
                + given.asText()
                + "' is not a decision for call "
                + inv.callId()
                + " of tool '"
                + tool
                + "' (give {\"effect\": \"retry\"}, {\"effect\": \"skip\"} or {\"effect\": \"fail\"})",
            null,
            false);
      }
    }
    context.budget().checkToolCall();
    Instant at = context.clock().instant();
    long t0 = System.nanoTime();
    ToolResult r = bus.call(inv, decision == null ? null : CoreCalls.decision(decision));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    context.budget().chargeToolCall();
    context.publish(
        new RunEvent.ToolCalled(
            context.runId(),
            at,
            context.stepKey(),
            tool,
            index,
            r instanceof ToolResult.Failure f ? f.kind() : null,
            took));
    if (r instanceof ToolResult.Success s) return new NodeOutcome.Completed(s.value());
    ToolResult.Failure failure = (ToolResult.Failure) r;
    switch (failure.kind()) {
      case INDETERMINATE_EFFECT:
        return new NodeOutcome.Suspended(FailureReason.INDETERMINATE_EFFECT, failure.message());
      case ERROR:
      case TIMEOUT:
        return new NodeOutcome.Failed(failure.message(), null, true);
      default:
        return new NodeOutcome.Failed(failure.message(), null, false);
    }
  }
}
