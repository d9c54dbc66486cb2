package dev.agentrt.testkit.eval;

import dev.agentrt.core.AgentrtException;
import java.util.List;

/**
 * The eval files (or the configuration they name) are invalid. {@link #problems()} lists every
 * problem, each as {@code file:line:col: what to fix}; the message joins them, one a line.
 *
 * @since 0.1
 */
public final class EvalException extends AgentrtException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  EvalException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order, each as {@code file:line:col: message}. */
  public List<String> problems() {
    return problems;
  }
}
