package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.Budget;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeInput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The context and input of one attempt of one step. It is also the engine's way in for the built-in
 * kinds ({@link BuiltInExecutor}): they read the compiled node and the step's scope from it, which
 * the public {@link NodeContext} does not show.
 */
final class StepContext implements NodeContext, NodeInput, CallJournal, Budget {
  static final BudgetUsage ONE_HOP = new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ZERO);

  final RunExecution run;
  final Scope scope;
  final CNode node;
  final String key;
  final int attempt;
  final int[] pos;
  private @Nullable JsonNode value;
  private @Nullable List<CallRecord> withStep;
  private long llmCalls;
  private long toolCalls;
  private long inTokens;
  private long outTokens;
  private double cost;
  private volatile @Nullable String recommendedRoute;

  StepContext(Scope scope, CNode node, String key, int attempt, int[] pos) {
    this.run = scope.run;
    this.scope = scope;
    this.node = node;
    this.key = key;
    this.attempt = attempt;
    this.pos = pos;
  }

  synchronized List<CallRecord> withStep() {
    return withStep == null ? List.of() : List.copyOf(withStep);
  }

  @Override
  public void routeRecommended(String when) {
    recommendedRoute = java.util.Objects.requireNonNull(when, "when");
  }

  /** The route an embedded router recommended for this step, if one did. */
  @Nullable String recommendedRoute() {
    return recommendedRoute;
  }

  BudgetUsage usage() {
    if (llmCalls == 0 && toolCalls == 0) return ONE_HOP;
    return new BudgetUsage(1, inTokens, outTokens, cost, llmCalls, toolCalls, Duration.ZERO);
  }

  // NodeInput
  @Override
  public NodeSpec node() {
    return node.spec;
  }

  @Override
  public JsonNode get(String path) {
    return StatePath.parse(path).read(scope.roots);
  }

  @Override
  public JsonNode value() {
    if (value == null) {
      if (node.inputMapping != null) {
        ObjectNode o = Json.NODES.objectNode();
        node.inputMapping.forEach(
            (k, p) ->
                o.set(
                    k,
                    p.read(scope.roots).isMissingNode()
                        ? NullNode.getInstance()
                        : p.read(scope.roots)));
        value = o;
      } else {
        value = scope.state.materialize();
      }
    }
    return value;
  }

  // NodeContext
  @Override
  public String runId() {
    return run.runId;
  }

  @Override
  public String workflowId() {
    return scope.wf.id;
  }

  @Override
  public String stepKey() {
    return key;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Clock clock() {
    return run.clock;
  }

  @Override
  public Budget budget() {
    return this;
  }

  @Override
  public CallJournal calls() {
    return this;
  }

  @Override
  public Manifests manifests() {
    return run.engine.manifests;
  }

  @Override
  public boolean isCancelled() {
    return scope.cancelled();
  }

  @Override
  public boolean pause(Duration duration) {
    if (isCancelled()) return false;
    return run.sleep(duration) && !isCancelled();
  }

  @Override
  public void publish(RunEvent event) {
    run.emit(event);
  }

  // CallJournal
  @Override
  public Optional<CallRecord> replayed(int index) {
    List<CallRecord> calls = run.recordedCalls.computeIfAbsent(key, run.runLog::calls);
    for (CallRecord c : calls) {
      if (c.index() == index) return Optional.of(c);
    }
    return Optional.empty();
  }

  @Override
  public void record(CallRecord record) {
    if (!record.stepKey().equals(key)) {
      throw new IllegalArgumentException(
          "call record of step '" + record.stepKey() + "' given to step '" + key + "'");
    }
    try {
      run.runLog.appendCall(record);
    } catch (RunOwnedException e) {
      // another engine owns the run now: stop at once (no retry of this step), whatever the
      // executor does with the exception
      run.recorder.checkpointFailed(key, e);
      throw e;
    }
  }

  @Override
  public synchronized void recordWithStep(CallRecord record) {
    if (!record.stepKey().equals(key)) {
      throw new IllegalArgumentException(
          "call record of step '" + record.stepKey() + "' given to step '" + key + "'");
    }
    if (withStep == null) withStep = new ArrayList<>();
    withStep.add(record);
  }

  // Budget
  @Override
  public BudgetLimits limits() {
    return run.budget.limits();
  }

  @Override
  public BudgetUsage used() {
    return run.budget.used();
  }

  @Override
  public void checkLlmCall() {
    run.budget.checkLlmCall();
  }

  @Override
  public void checkToolCall() {
    run.budget.checkToolCall();
  }

  @Override
  public synchronized void chargeLlmCall(long inputTokens, long outputTokens, double costUsd) {
    run.budget.chargeLlmCall(inputTokens, outputTokens, costUsd);
    llmCalls++;
    inTokens += inputTokens;
    outTokens += outputTokens;
    cost += costUsd;
  }

  @Override
  public synchronized void chargeToolCall() {
    run.budget.chargeToolCall();
    toolCalls++;
  }
}
