package dev.agentrt.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test an {@link dev.agentrt.core.AgentRuntime} wired for tests ({@link
 * AgentTestRuntime}): a copy of the configuration in a temporary directory, runs in memory (or
 * SQLite), a fixed clock, an empty or copied workspace, and models replaced by scripts ({@link
 * Script}) or by model objects in fields annotated {@link TestModel}. Each test method gets a new
 * runtime, closed (and its directory deleted) after the test.
 *
 * <pre>{@code
 * @AgentTest(config = ".agent")
 * @Script(model = "default", file = "scripts/review.yml")
 * class ReviewTest {
 *   @Test
 *   void approves(AgentRuntime rt) {
 *     assertThat(rt.run("review", Map.of("text", "LGTM"))).isCompleted().hasOutputAt("verdict", "approve");
 *   }
 * }
 * }</pre>
 *
 * <p>Parameters that can be injected: {@link dev.agentrt.core.AgentRuntime}, and {@link
 * AgentTestContext} (the workspace and configuration copies, and more runtimes on them).
 *
 * @since 0.1
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(AgentTestExtension.class)
public @interface AgentTest {
  /** The configuration directory, relative to the working directory; default {@code .agent}. */
  String config() default ".agent";

  /** Where runs are kept; default {@link TestStore#MEMORY}. */
  TestStore store() default TestStore.MEMORY;

  /**
   * A directory (relative to the working directory) copied to be the file tools' workspace; by
   * default the workspace is an empty directory.
   */
  String workspace() default "";

  /** The fixed instant of the runtime's clock (ISO-8601, UTC). */
  String clock() default "2026-01-01T00:00:00Z";
}
