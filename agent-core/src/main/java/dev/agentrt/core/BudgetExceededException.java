package dev.agentrt.core;

/**
 * Thrown by {@link dev.agentrt.core.spi.Budget} when a charge or a check finds a budget exhausted.
 * The engine turns it into a run that is {@link RunStatus#FAILED} with reason {@link
 * FailureReason#BUDGET_EXCEEDED}; executors let it propagate.
 *
 * @since 0.1
 */
public class BudgetExceededException extends AgentrtException {
  private final String budget;

  public BudgetExceededException(String budget, String message) {
    super(message);
    this.budget = budget;
  }

  /** The name of the exhausted budget as written in YAML, such as {@code max_hops}. */
  public String budget() {
    return budget;
  }
}
