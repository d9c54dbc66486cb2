package dev.agentrt.core.spi;

import dev.agentrt.core.BudgetExceededException;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;

/**
 * A run's budget as seen by an executor. Implemented by the engine. Thread-safe: parallel branches
 * charge the same budget.
 *
 * <p>Executors call {@link #checkLlmCall()} or {@link #checkToolCall()} before a call and {@link
 * #chargeLlmCall} or {@link #chargeToolCall()} after it, so a run never overshoots a budget by more
 * than the one call in flight. A check that finds a budget exhausted throws {@link
 * BudgetExceededException}; let it propagate and the engine stops the run with {@code
 * BUDGET_EXCEEDED}.
 *
 * @since 0.1
 */
public interface Budget {

  /** The run's limits. */
  BudgetLimits limits();

  /** What the run has spent so far, this step's charges included. */
  BudgetUsage used();

  /** Throws {@link BudgetExceededException} if another LLM call would exceed a budget. */
  void checkLlmCall();

  /** Throws {@link BudgetExceededException} if another tool call would exceed a budget. */
  void checkToolCall();

  /** Adds one LLM call with its token usage and cost. */
  void chargeLlmCall(long inputTokens, long outputTokens, double costUsd);

  /** Adds one tool call. */
  void chargeToolCall();
}
