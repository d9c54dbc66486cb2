package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlScalarsTest {
  @TempDir Path dir;

  @Test
  void load_whenYes_staysTheStringYesAndMatchesTheRouteValue() {
    ManifestFixture fx =
        new ManifestFixture(dir)
            .workflow(
                """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: ask, kind: transform, role: decision, template: "{{input.answer}}"}
          - {id: agreed, role: exit, output: agreed}
          - {id: refused, role: exit, output: refused}
        edges:
          - {from: start, to: ask}
          - {from: ask, to: agreed, when: yes}
          - {from: ask, to: refused, when: no}
        """);

    assertThat(fx.load().workflow("x").orElseThrow().edges().get(1).when()).isEqualTo("yes");
    try (AgentRuntime rt = fx.build()) {
      RunResult r = rt.run("x", Map.of("answer", "yes"));
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().asText()).isEqualTo("agreed");
    }
  }

  @Test
  void load_whenTrue_isTheBooleanTrueMatchingABooleanRouteValue() {
    ManifestFixture fx =
        new ManifestFixture(dir)
            .workflow(
                """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: ask, kind: transform, role: decision, template: "{{input.ok}}"}
          - {id: agreed, role: exit, output: agreed}
          - {id: refused, role: exit, output: refused}
        edges:
          - {from: start, to: ask}
          - {from: ask, to: agreed, when: true}
          - {from: ask, to: refused}
        """);

    try (AgentRuntime rt = fx.build()) {
      assertThat(rt.run("x", Map.of("ok", true)).output().asText()).isEqualTo("agreed");
      assertThat(rt.run("x", Map.of("ok", false)).output().asText()).isEqualTo("refused");
    }
  }
}
