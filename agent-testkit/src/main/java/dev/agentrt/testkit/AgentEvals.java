package dev.agentrt.testkit;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.testkit.eval.EvalCase;
import dev.agentrt.testkit.eval.EvalResult;
import dev.agentrt.testkit.eval.EvalRunner;
import dev.agentrt.testkit.eval.EvalSuite;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The eval cases of a configuration directory ({@code evals/*.yml}, see {@link EvalSuite}) as JUnit
 * 5 dynamic tests, one per case, named after it; a failed case fails its test with the case's
 * failures.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> evals(@TempDir Path tmp) {
 *   return AgentEvals.dynamicTests(Path.of(".agent"), tmp);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class AgentEvals {
  private AgentEvals() {}

  /**
   * One dynamic test per case of {@code configDir}, each run on fresh runtimes made in {@code
   * tempDir}, with scripted models.
   *
   * @throws dev.agentrt.testkit.eval.EvalException if an eval file is invalid
   */
  public static Stream<DynamicTest> dynamicTests(Path configDir, Path tempDir) {
    return dynamicTests(configDir, tempDir, b -> {});
  }

  /**
   * As {@link #dynamicTests(Path, Path)}, with {@code customizer} changing each runtime's builder
   * (register functions and tools).
   */
  public static Stream<DynamicTest> dynamicTests(
      Path configDir, Path tempDir, Consumer<AgentRuntime.Builder> customizer) {
    EvalSuite suite = EvalSuite.load(configDir);
    EvalRunner runner = EvalRunner.builder(configDir, tempDir).customize(customizer).build();
    return suite.cases().stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), c.file().toUri(), () -> check(runner, c)));
  }

  private static void check(EvalRunner runner, EvalCase c) {
    EvalResult r = runner.run(c);
    if (!r.passed()) {
      Assertions.fail("eval " + r.name() + " failed:\n  - " + String.join("\n  - ", r.failures()));
    }
  }
}
