package dev.agentrt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@link AgentEvals}: a dynamic test per case, failing with the case's failures. */
class AgentEvalsTest {
  @TempDir static Path config;

  /** Run by {@link EngineTestKit} only, on {@link AgentEvalsTest#config}. */
  static class Cases {
    @TestFactory
    Stream<DynamicTest> evals(@TempDir Path tmp) {
      return AgentEvals.dynamicTests(config, tmp);
    }
  }

  @Test
  void dynamicTests_onePerCase_passingAndFailing() throws IOException {
    Files.writeString(config.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("workflows/t.yml"),
        """
        id: t
        nodes:
          - {id: start, role: start}
          - {id: shape, kind: transform, template: {heading: "### Fixed"}}
          - {id: done, role: exit, output: "{{shape}}"}
        edges:
          - {from: start, to: shape}
          - {from: shape, to: done}
        """);
    Files.createDirectories(config.resolve("evals"));
    Files.writeString(
        config.resolve("evals/cases.yml"),
        """
        cases:
          - {name: good, workflow: t, expect: {output: [{path: heading, equals: "### Fixed"}]}}
          - {name: bad, workflow: t, expect: {output: [{path: heading, equals: "### Added"}]}}
        """);

    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(Cases.class))
            .execute()
            .testEvents();

    tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    assertThat(tests.succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
        .containsExactly("good");
    var failed = tests.failed().stream().findFirst().orElseThrow();
    assertThat(failed.getTestDescriptor().getDisplayName()).isEqualTo("bad");
    assertThat(
            failed
                .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow()
                .getMessage())
        .isEqualTo(
            "eval bad failed:\n  - output.heading equals: expected \"### Added\" but was \"###"
                + " Fixed\"");
  }
}
