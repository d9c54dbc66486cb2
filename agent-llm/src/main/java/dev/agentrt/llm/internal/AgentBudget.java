package dev.agentrt.llm.internal;

import dev.agentrt.core.BudgetExceededException;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.spi.Budget;
import java.time.Clock;
import java.time.Duration;

/**
 * One execution of an agent's budget (its {@code budget:} in {@code agents/<name>.yml}) laid over
 * the run's: every check asks the run's budget first, then the agent's; every charge goes to both.
 * {@code max_hops} does not apply to one execution and is ignored. Thread-safe (concurrent tool
 * calls of one response charge it).
 */
public final class AgentBudget implements Budget {
  private final Budget run;
  private final BudgetLimits limits;
  private final String agent;
  private final Clock clock;
  private final long startMillis;
  private long inputTokens;
  private long outputTokens;
  private double cost;
  private long llmCalls;
  private long toolCalls;

  /**
   * {@code run} itself when the agent has no limits, else the run's budget with the agent's laid
   * over it.
   */
  public static Budget of(Budget run, BudgetLimits limits, String agent, Clock clock) {
    return limits.equals(BudgetLimits.unlimited())
        ? run
        : new AgentBudget(run, limits, agent, clock);
  }

  private AgentBudget(Budget run, BudgetLimits limits, String agent, Clock clock) {
    this.run = run;
    this.limits = limits;
    this.agent = agent;
    this.clock = clock;
    this.startMillis = clock.millis();
  }

  /** The run's limits (the agent's are in {@code agents/<name>.yml}). */
  @Override
  public BudgetLimits limits() {
    return run.limits();
  }

  /** What the run has spent. */
  @Override
  public BudgetUsage used() {
    return run.used();
  }

  /** What this execution of the agent has spent. */
  public synchronized BudgetUsage usedByAgent() {
    return new BudgetUsage(
        0,
        inputTokens,
        outputTokens,
        cost,
        llmCalls,
        toolCalls,
        Duration.ofMillis(clock.millis() - startMillis));
  }

  @Override
  public void checkLlmCall() {
    run.checkLlmCall();
    synchronized (this) {
      long max = limits.maxLlmCalls().orElse(-1);
      if (max >= 0 && llmCalls + 1 > max) {
        throw exceeded("max_llm_calls", llmCalls + " LLM calls made (max_llm_calls: " + max + ")");
      }
      long maxTokens = limits.maxTokens().orElse(-1);
      if (maxTokens >= 0 && inputTokens + outputTokens >= maxTokens) {
        throw exceeded(
            "max_tokens",
            (inputTokens + outputTokens) + " tokens used (max_tokens: " + maxTokens + ")");
      }
      double maxCost = limits.maxCostUsd().orElse(-1);
      if (maxCost >= 0 && cost >= maxCost) {
        throw exceeded("max_cost_usd", "$" + cost + " spent (max_cost_usd: " + maxCost + ")");
      }
    }
    checkDuration();
  }

  @Override
  public void checkToolCall() {
    run.checkToolCall();
    synchronized (this) {
      long max = limits.maxToolCalls().orElse(-1);
      if (max >= 0 && toolCalls + 1 > max) {
        throw exceeded(
            "max_tool_calls", toolCalls + " tool calls made (max_tool_calls: " + max + ")");
      }
    }
    checkDuration();
  }

  private void checkDuration() {
    if (limits.maxDuration().isEmpty()) return;
    Duration max = limits.maxDuration().get();
    if (clock.millis() - startMillis > max.toMillis()) {
      throw exceeded(
          "max_duration", "the execution took longer than " + max + " (max_duration: " + max + ")");
    }
  }

  private BudgetExceededException exceeded(String budget, String detail) {
    return new BudgetExceededException(
        budget,
        "agent '"
            + agent
            + "' budget "
            + budget
            + " exceeded: "
            + detail
            + " in one execution (agents/"
            + agent
            + ".yml budget:)");
  }

  @Override
  public void chargeLlmCall(long in, long out, double costUsd) {
    run.chargeLlmCall(in, out, costUsd);
    synchronized (this) {
      llmCalls++;
      inputTokens += in;
      outputTokens += out;
      cost += costUsd;
    }
  }

  @Override
  public void chargeToolCall() {
    run.chargeToolCall();
    synchronized (this) {
      toolCalls++;
    }
  }
}
