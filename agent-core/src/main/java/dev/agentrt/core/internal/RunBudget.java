package dev.agentrt.core.internal;

import dev.agentrt.core.BudgetExceededException;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.spi.Budget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** A run's budget: limits, and spend shared by all of the run's threads. */
final class RunBudget implements Budget {
  private final BudgetLimits limits;
  private final Clock clock;
  private final long startMillis;
  private final long priorElapsedMillis;
  private final long maxHops;
  private final long maxDurationMillis;
  private final @Nullable Instant deadline;
  private final long deadlineMillis;
  private final long maxTokens;
  private final double maxCost;
  private final long maxLlmCalls;
  private final long maxToolCalls;

  final AtomicLong hops = new AtomicLong();
  private final AtomicLong inputTokens = new AtomicLong();
  private final AtomicLong outputTokens = new AtomicLong();
  private final AtomicLong llmCalls = new AtomicLong();
  private final AtomicLong toolCalls = new AtomicLong();
  private double cost;

  RunBudget(BudgetLimits limits, @Nullable Instant deadline, Clock clock, BudgetUsage prior) {
    this.limits = limits;
    this.deadline = deadline;
    this.deadlineMillis = deadline == null ? -1 : deadline.toEpochMilli();
    this.clock = clock;
    this.startMillis = clock.millis();
    this.priorElapsedMillis = prior.elapsed().toMillis();
    this.maxHops = limits.maxHops().orElse(-1);
    this.maxDurationMillis = limits.maxDuration().map(Duration::toMillis).orElse(-1L);
    this.maxTokens = limits.maxTokens().orElse(-1);
    this.maxCost = limits.maxCostUsd().orElse(-1);
    this.maxLlmCalls = limits.maxLlmCalls().orElse(-1);
    this.maxToolCalls = limits.maxToolCalls().orElse(-1);
    hops.set(prior.hops());
    inputTokens.set(prior.inputTokens());
    outputTokens.set(prior.outputTokens());
    llmCalls.set(prior.llmCalls());
    toolCalls.set(prior.toolCalls());
    cost = prior.costUsd();
  }

  /** Time left before max_duration or the caller's deadline, in milliseconds, or -1 if none. */
  long remainingMillis() {
    long toDeadline = deadlineMillis < 0 ? -1 : Math.max(0, deadlineMillis - clock.millis());
    if (maxDurationMillis < 0) return toDeadline;
    long toMax = Math.max(0, maxDurationMillis - elapsedMillis());
    return toDeadline < 0 ? toMax : Math.min(toMax, toDeadline);
  }

  private boolean pastDeadline() {
    return deadlineMillis >= 0 && clock.millis() >= deadlineMillis;
  }

  long elapsedMillis() {
    return priorElapsedMillis + (clock.millis() - startMillis);
  }

  /**
   * Charges one hop for {@code stepKey}; null if allowed, else the message of the exceeded budget.
   */
  String chargeHop(String stepKey) {
    long h = hops.incrementAndGet();
    if (maxHops >= 0 && h > maxHops) {
      return "budget max_hops exceeded: step '"
          + stepKey
          + "' would be node execution "
          + h
          + " (max_hops: "
          + maxHops
          + ")";
    }
    if ((maxDurationMillis >= 0 && elapsedMillis() > maxDurationMillis) || pastDeadline()) {
      return durationMessage(stepKey);
    }
    return null;
  }

  /** Why the run's time is up: its deadline passed, or it took longer than max_duration. */
  String durationMessage(@Nullable String stepKey) {
    if (pastDeadline()) {
      return "deadline passed: the run was to end by "
          + deadline
          + (stepKey == null ? "" : " (at step '" + stepKey + "')");
    }
    return "budget max_duration exceeded: the run took longer than "
        + Duration.ofMillis(maxDurationMillis)
        + (stepKey == null ? "" : " (at step '" + stepKey + "')");
  }

  void addHop() {
    hops.incrementAndGet();
  }

  @Override
  public BudgetLimits limits() {
    return limits;
  }

  @Override
  public BudgetUsage used() {
    synchronized (this) {
      return new BudgetUsage(
          hops.get(),
          inputTokens.get(),
          outputTokens.get(),
          cost,
          llmCalls.get(),
          toolCalls.get(),
          Duration.ofMillis(elapsedMillis()));
    }
  }

  @Override
  public void checkLlmCall() {
    if (maxLlmCalls >= 0 && llmCalls.get() + 1 > maxLlmCalls) {
      throw new BudgetExceededException(
          "max_llm_calls",
          "budget max_llm_calls exceeded: "
              + llmCalls.get()
              + " LLM calls made (max_llm_calls: "
              + maxLlmCalls
              + ")");
    }
    if (maxTokens >= 0 && inputTokens.get() + outputTokens.get() >= maxTokens) {
      throw new BudgetExceededException(
          "max_tokens",
          "budget max_tokens exceeded: "
              + (inputTokens.get() + outputTokens.get())
              + " tokens used (max_tokens: "
              + maxTokens
              + ")");
    }
    synchronized (this) {
      if (maxCost >= 0 && cost >= maxCost) {
        throw new BudgetExceededException(
            "max_cost_usd",
            "budget max_cost_usd exceeded: $" + cost + " spent (max_cost_usd: " + maxCost + ")");
      }
    }
    checkDuration();
  }

  @Override
  public void checkToolCall() {
    if (maxToolCalls >= 0 && toolCalls.get() + 1 > maxToolCalls) {
      throw new BudgetExceededException(
          "max_tool_calls",
          "budget max_tool_calls exceeded: "
              + toolCalls.get()
              + " tool calls made (max_tool_calls: "
              + maxToolCalls
              + ")");
    }
    checkDuration();
  }

  private void checkDuration() {
    if (maxDurationMillis >= 0 && elapsedMillis() > maxDurationMillis) {
      throw new BudgetExceededException("max_duration", durationMessage(null));
    }
  }

  @Override
  public void chargeLlmCall(long in, long out, double costUsd) {
    llmCalls.incrementAndGet();
    inputTokens.addAndGet(in);
    outputTokens.addAndGet(out);
    synchronized (this) {
      cost += costUsd;
    }
  }

  @Override
  public void chargeToolCall() {
    toolCalls.incrementAndGet();
  }
}
