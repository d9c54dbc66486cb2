package dev.agentrt.testkit;

import dev.agentrt.core.RunResult;

/**
 * Entry point of the AssertJ assertions on runs:
 *
 * <pre>{@code
 * import static dev.agentrt.testkit.AgentAssertions.assertThat;
 *
 * assertThat(rt.run("review", input))
 *     .isCompleted()
 *     .hasStepKeys("start#0", "review#0", "done#0")
 *     .hasOutputAt("verdict", "approve")
 *     .hasLlmCallsAtMost(2)
 *     .madeToolCall("fs.read");
 * }</pre>
 *
 * <p>Import it beside AssertJ's {@code Assertions.assertThat}: the overloads do not clash.
 *
 * @since 0.1
 */
public final class AgentAssertions {
  private AgentAssertions() {}

  /** Assertions on a run's result. */
  public static RunResultAssert assertThat(RunResult actual) {
    return new RunResultAssert(actual);
  }
}
