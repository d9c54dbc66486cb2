package dev.agentrt.testkit.eval;

import java.time.Duration;
import java.util.List;

/**
 * How one eval case did over its runs.
 *
 * @param name the case's name
 * @param workflow the workflow it ran
 * @param passed whether at least {@link EvalCase#requiredPasses()} runs passed
 * @param runs how many runs were made
 * @param passes how many of them passed
 * @param failures why runs failed, one message per failed check, each prefixed with {@code run N:}
 *     when the case has several runs
 * @param llmCalls LLM calls over all runs
 * @param tokens input plus output tokens over all runs
 * @param costUsd cost over all runs, in US dollars
 * @param duration wall-clock time of all runs
 * @since 0.1
 */
public record EvalResult(
    String name,
    String workflow,
    boolean passed,
    int runs,
    int passes,
    List<String> failures,
    long llmCalls,
    long tokens,
    double costUsd,
    Duration duration) {
  public EvalResult {
    failures = List.copyOf(failures);
  }
}
