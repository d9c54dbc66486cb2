package dev.agentrt.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a run (or one step) has spent of its budget. Values add up with {@link #plus}.
 *
 * @param hops node executions
 * @param inputTokens LLM input tokens
 * @param outputTokens LLM output tokens
 * @param costUsd LLM cost in US dollars, from the models' {@code pricing}
 * @param llmCalls LLM calls
 * @param toolCalls tool calls
 * @param elapsed time spent executing
 * @since 0.1
 */
public record BudgetUsage(
    long hops,
    long inputTokens,
    long outputTokens,
    double costUsd,
    long llmCalls,
    long toolCalls,
    Duration elapsed) {

  /** Nothing spent. */
  public static final BudgetUsage ZERO = new BudgetUsage(0, 0, 0, 0, 0, 0, Duration.ZERO);

  public BudgetUsage {
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** This usage with {@code elapsed} in place of its own. */
  public BudgetUsage withElapsed(Duration newElapsed) {
    if (newElapsed.equals(elapsed)) return this;
    return new BudgetUsage(
        hops, inputTokens, outputTokens, costUsd, llmCalls, toolCalls, newElapsed);
  }

  /**
   * This run's usage after one more recorded step's: the counts add up, and {@code elapsed} is the
   * later of the two (a step records the run's active time when it was recorded, not its own).
   *
   * @since 0.1
   */
  public BudgetUsage plusStep(BudgetUsage step) {
    Duration later = elapsed.compareTo(step.elapsed) >= 0 ? elapsed : step.elapsed;
    return plus(step).withElapsed(later);
  }

  /** The sum of this usage and {@code other}. */
  public BudgetUsage plus(BudgetUsage other) {
    return new BudgetUsage(
        hops + other.hops,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costUsd + other.costUsd,
        llmCalls + other.llmCalls,
        toolCalls + other.toolCalls,
        elapsed.plus(other.elapsed));
  }
}
