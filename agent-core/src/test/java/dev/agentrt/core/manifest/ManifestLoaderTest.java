package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ManifestLoader}: loading and validating a directory without a runtime. */
class ManifestLoaderTest {
  @TempDir Path dir;

  static final String SEARCH =
      """
      id: x
      nodes:
        - {id: start, role: start}
        - {id: find, kind: search, options: {query: hello}}
        - {id: done, role: exit}
      edges:
        - {from: start, to: find}
        - {from: find, to: done}
      """;

  static final String TRANSFORM =
      """
      id: x
      nodes:
        - {id: start, role: start}
        - {id: work, kind: transform, template: hi}
        - {id: done, role: exit}
      edges:
        - {from: start, to: work}
        - {from: work, to: done}
      """;

  /** An executor of kind {@code search} that finds a problem with every node's {@code query}. */
  static class SearchExecutor implements NodeExecutor {
    @Override
    public String kind() {
      return "search";
    }

    @Override
    public List<NodeProblem> validate(NodeSpec node, Manifests manifests) {
      return List.of(new NodeProblem("options", "options.query: too short"));
    }

    @Override
    public NodeOutcome execute(NodeInput input, NodeContext context) {
      throw new UnsupportedOperationException("the loader never runs an executor");
    }
  }

  private ManifestFixture fx() {
    return new ManifestFixture(dir);
  }

  @Test
  void load_validDirectory_returnsManifestsAndNoProblem() {
    fx().workflow(TRANSFORM);

    ManifestLoader.Result r = ManifestLoader.builder().discovery(false).build().load(dir);

    assertThat(r.problems()).isEmpty();
    assertThat(r.isValid()).isTrue();
    assertThat(r.orThrow().workflows()).containsOnlyKeys("x");
    assertThat(r.manifests()).containsSame(r.orThrow());
  }

  @Test
  void load_brokenDirectory_returnsEveryProblemAndOrThrowThrowsThem() {
    fx().config("checkpoint:\n  pth: x.db\n").workflow(TRANSFORM.replace("to: done", "to: dnoe"));

    ManifestLoader.Result r = ManifestLoader.builder().discovery(false).build().load(dir);

    assertThat(r.problems())
        .extracting(ManifestProblem::toString)
        .containsExactly(
            "config.yml:2:3: checkpoint: unknown key 'pth' (did you mean 'path'?)",
            "workflows/x.yml:"
                + at(TRANSFORM.replace("to: done", "to: dnoe"), "dnoe")
                + ": edge 'work -> dnoe': no node 'dnoe' (did you mean 'done'?)");
    assertThat(r.isValid()).isFalse();
    assertThat(r.manifests()).isPresent();
    assertThatThrownBy(r::orThrow)
        .isInstanceOfSatisfying(
            ManifestException.class, e -> assertThat(e.problems()).isEqualTo(r.problems()));
  }

  @Test
  void load_missingDirectory_reportsItWithoutManifests() {
    Path missing = dir.resolve("nope");

    ManifestLoader.Result r = ManifestLoader.ofDefaults().load(missing);

    assertThat(r.manifests()).isEmpty();
    assertThat(r.problems())
        .extracting(ManifestProblem::message)
        .containsExactly(
            "configuration directory does not"
                + " exist (create it, or point --config at the directory holding config.yml, agents/ and workflows/)");
  }

  @Test
  void load_kindWithoutExecutor_isAProblemListingTheKnownKinds() {
    fx().workflow(SEARCH);

    ManifestLoader.Result r = ManifestLoader.builder().discovery(false).build().load(dir);

    assertThat(r.problems())
        .extracting(ManifestProblem::toString)
        .containsExactly(
            "workflows/x.yml:"
                + at(SEARCH, "search")
                + ": node 'find': unknown kind 'search' (known kinds: agent, function, router, tool,"
                + " transform, workflow)");
  }

  @Test
  void load_declaredKind_acceptsItsNodesWithoutKindChecks() {
    fx().workflow(SEARCH);

    ManifestLoader.Result r =
        ManifestLoader.builder().discovery(false).kind("search").build().load(dir);

    assertThat(r.problems()).isEmpty();
  }

  @Test
  void load_givenExecutor_reportsWhatItsValidateFindsAtTheNodesKey() {
    fx().workflow(SEARCH);

    ManifestLoader.Result r =
        ManifestLoader.builder()
            .discovery(false)
            .nodeExecutor(new SearchExecutor())
            .build()
            .load(dir);

    assertThat(r.problems())
        .extracting(ManifestProblem::toString)
        .containsExactly(
            "workflows/x.yml:" + at(SEARCH, "{query") + ": node 'find': options.query: too short");
  }

  @Test
  void load_functionNotNamed_isAProblemAndNamedFunctionIsAccepted() {
    String wf =
        TRANSFORM.replace("kind: transform, template: hi", "kind: function, function: score");
    fx().workflow(wf);
    ManifestLoader loader = ManifestLoader.builder().discovery(false).build();

    assertThat(loader.load(dir).problems())
        .extracting(ManifestProblem::message)
        .containsExactly(
            "node 'work': function 'score' is not registered (register it with AgentRuntime.builder().function(\"score\","
                + " ...) or provide it with a FunctionProvider)");
    assertThat(loader.toBuilder().function("score").build().load(dir).problems()).isEmpty();
  }

  @Test
  void load_environment_resolvesVariablesFromTheGivenLookup() {
    fx().config("checkpoint: {path: '${env:DB}'}\n").workflow(TRANSFORM);

    Manifests m =
        ManifestLoader.builder()
            .discovery(false)
            .environment(Map.of("DB", "runs.db")::get)
            .build()
            .load(dir)
            .orThrow();

    assertThat(m.config().checkpoint().path()).isEqualTo("runs.db");
  }

  @Test
  void load_fileOverLimit_isAProblem() {
    fx().workflow(TRANSFORM);

    ManifestLoader.Result r =
        ManifestLoader.builder().discovery(false).maxManifestBytes(16).build().load(dir);

    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).file()).isEqualTo("workflows/x.yml");
  }

  @Test
  void builder_builtInKindExecutor_isRefused() {
    NodeExecutor transform =
        new SearchExecutor() {
          @Override
          public String kind() {
            return "transform";
          }
        };

    assertThatThrownBy(() -> ManifestLoader.builder().nodeExecutor(transform))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind 'transform' is built in and cannot be replaced");
  }

  @Test
  void builder_nonPositiveMaxManifestBytes_isRefused() {
    assertThatThrownBy(() -> ManifestLoader.builder().maxManifestBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxManifestBytes must be positive, got 0");
  }
}
