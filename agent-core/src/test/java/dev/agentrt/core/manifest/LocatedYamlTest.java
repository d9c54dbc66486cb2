package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** {@link ManifestLoader#readYaml}: YAML read as manifests are, with places. */
class LocatedYamlTest {

  @Test
  void readsYaml12Scalars_locatesValuesAndKeys_andReportsDuplicates() {
    LocatedYaml y =
        ManifestLoader.readYaml(
            "f.yml", "a: yes\nlist:\n  - {k: 1}\na: no\nb: &x {c: true}\nd: *x\n");

    assertThat(y.root().path("a").isTextual()).as("yes/no are text in YAML 1.2").isTrue();
    assertThat(y.root().path("a").asText()).isEqualTo("no");
    assertThat(y.root().path("d").path("c").asBoolean()).isTrue();
    assertThat(y.locate("/list/0/k")).isEqualTo("3:9");
    assertThat(y.locateKey("/list")).isEqualTo("2:1");
    assertThat(y.locate("/list/0/missing")).as("nearest enclosing value").isEqualTo("3:5");
    assertThat(y.duplicateKeys()).containsExactly("/a");
  }

  @Test
  void malformedYaml_isOneProblemAtItsPlace() {
    ManifestException e =
        catchThrowableOfType(
            ManifestException.class, () -> ManifestLoader.readYaml("f.yml", "a: [1\n"));

    assertThat(e.problems()).hasSize(1);
    ManifestProblem p = e.problems().get(0);
    assertThat(p.file()).isEqualTo("f.yml");
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.message()).startsWith("invalid YAML: expected ',' or ']'");
  }

  @Test
  void emptyDocument_isJsonNull() {
    assertThat(ManifestLoader.readYaml("f.yml", "").root().isNull()).isTrue();
  }
}
