package dev.agentrt.examples;

import dev.agentrt.testkit.AgentEvals;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval cases of the repository's {@code .agent/evals/}, one dynamic test each, as a user's
 * build runs its own (docs/testing.md "Evals").
 */
class ProjectEvalsTest {
  @TestFactory
  Stream<DynamicTest> projectEvals(@TempDir Path tmp) {
    return AgentEvals.dynamicTests(Path.of("../.agent"), tmp);
  }
}
