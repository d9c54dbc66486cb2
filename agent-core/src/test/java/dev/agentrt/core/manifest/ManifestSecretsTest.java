package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which resolved values become known secrets ({@link Manifests#redactor()}), masked in the store
 * and in telemetry.
 */
class ManifestSecretsTest {
  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  private static String headerWorkflow(String value) {
    return """
        id: hook
        nodes:
          - {id: start, role: start}
          - {id: build, kind: transform, template: {headers: {Authorization: "VALUE"}}}
          - {id: done, role: exit}
        edges:
          - {from: start, to: build}
          - {from: build, to: done}
        """
        .replace("VALUE", value);
  }

  @Test
  void load_authorizationHeaderFromEnv_referencedValueIsSecret() {
    fx.env("HOOK", "hook-value-123").workflow(headerWorkflow("Bearer ${env:HOOK}"));

    assertThat(fx.load().redactor()).isEqualTo(Redactor.of(Set.of("hook-value-123")));
  }

  @Test
  void load_credentialNamedVariableUnderAnyKey_isSecret() {
    fx.env("GITHUB_TOKEN", "ghp-value-456")
        .workflow(
            """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: note, kind: transform, template: {text: "token is ${env:GITHUB_TOKEN}"}}
          - {id: done, role: exit}
        edges:
          - {from: start, to: note}
          - {from: note, to: done}
        """);

    assertThat(fx.load().redactor()).isEqualTo(Redactor.of(Set.of("ghp-value-456")));
  }

  @Test
  void load_plainVariableUnderPlainKey_isNotSecret() {
    fx.env("GREETING", "hello there")
        .workflow(
            """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: note, kind: transform, template: {text: "${env:GREETING}"}}
          - {id: done, role: exit}
        edges:
          - {from: start, to: note}
          - {from: note, to: done}
        """);

    assertThat(fx.load().redactor().isEmpty()).isTrue();
  }
}
