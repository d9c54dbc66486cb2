package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property tests of {@link ManifestLoader}: generated manifests and single mutations, shrunk. */
class ManifestLoaderPropertiesTest {

  // Catches the loader rejecting a valid linear workflow (node ids, edge order, list lengths).
  @Property(tries = 200, seed = "20261205")
  void generatedLinearWorkflowsLoad(@ForAll("nodeIds") List<String> ids) throws IOException {
    StringBuilder y = new StringBuilder("id: x\nnodes:\n  - {id: start, role: start}\n");
    for (String id : ids)
      y.append("  - {id: ").append(id).append(", kind: transform, template: hi}\n");
    y.append("  - {id: done, role: exit}\nedges:\n");
    String prev = "start";
    for (String id : ids) {
      y.append("  - {from: ").append(prev).append(", to: ").append(id).append("}\n");
      prev = id;
    }
    y.append("  - {from: ").append(prev).append(", to: done}\n");
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "props");
    new ManifestFixture(dir).workflow(y.toString());

    ManifestLoader.Result r = ManifestLoader.builder().discovery(false).build().load(dir);

    assertThat(r.problems()).as(y.toString()).isEmpty();
    assertThat(r.orThrow().workflows().get("x").nodes()).hasSize(ids.size() + 2);
  }

  // Catches a typo reported without position, twice, or without the suggestion of the real key.
  @Property(tries = 200, seed = "20261205")
  void aTypoOfAKeyIsOneProblemWithItsPositionAndASuggestion(@ForAll("typosOfPath") String typo)
      throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "props");
    new ManifestFixture(dir).config("checkpoint:\n  " + typo + ": x.db\n");

    ManifestLoader.Result r = ManifestLoader.builder().discovery(false).build().load(dir);

    assertThat(r.problems())
        .extracting(ManifestProblem::toString)
        .containsExactly(
            "config.yml:2:3: checkpoint: unknown key '" + typo + "' (did you mean 'path'?)");
  }

  @Provide
  Arbitrary<List<String>> nodeIds() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .ofMinLength(1)
        .ofMaxLength(8)
        .map(s -> "n" + s)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .uniqueElements();
  }

  /** One edit of {@code path}: a deletion, an adjacent swap, or a doubled letter. */
  @Provide
  Arbitrary<String> typosOfPath() {
    String k = "path";
    Arbitrary<Integer> i = Arbitraries.integers().between(0, k.length() - 1);
    Arbitrary<Integer> j = Arbitraries.integers().between(0, k.length() - 2);
    return Arbitraries.oneOf(
        i.map(n -> k.substring(0, n) + k.substring(n + 1)),
        j.map(n -> k.substring(0, n) + k.charAt(n + 1) + k.charAt(n) + k.substring(n + 2)),
        i.map(n -> k.substring(0, n + 1) + k.charAt(n) + k.substring(n + 1)));
  }
}
