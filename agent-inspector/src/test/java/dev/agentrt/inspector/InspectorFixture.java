package dev.agentrt.inspector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.testkit.AgentTestRuntime;
import dev.agentrt.testkit.TestStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A runtime on a temporary copy of the repository's {@code .agent/} (scripted models, no network),
 * runs in a SQLite file of the temp dir, feature-add working on a copy of the examples' fixture
 * project whose tests really compile and run.
 */
public final class InspectorFixture {
  public static final Path AGENT = Path.of("../.agent");
  public static final Path PROJECT = Path.of("../examples/src/test/resources/feature-add-project");
  public static final String FEATURE_REQUEST =
      "Calculator.max returns the smaller number; make it return the larger.";
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private InspectorFixture() {}

  /** The runtime; {@code edit} changes the copy's config.yml (as a JSON tree) before it loads. */
  public static AgentRuntime runtime(Path tmp, Consumer<ObjectNode> edit) {
    return AgentTestRuntime.builder(AGENT, tmp)
        .store(TestStore.SQLITE)
        .workspace(PROJECT)
        .editConfig(
            c -> {
              ((ObjectNode) c.path("policy").path("tools").path("tests.run"))
                  .putArray("command")
                  .add(JAVA)
                  .add("RunTests.java");
              edit.accept(c);
            })
        .build();
  }

  public static AgentRuntime runtime(Path tmp) {
    return runtime(tmp, c -> {});
  }

  /** One completed feature-add run: implement, review (revise), implement, review, tests. */
  public static RunResult featureAdd(AgentRuntime rt) {
    RunResult r = rt.run("feature-add", Map.of("request", FEATURE_REQUEST));
    if (r.status() != RunStatus.COMPLETED)
      throw new AssertionError("feature-add did not complete: " + r);
    return r;
  }
}
