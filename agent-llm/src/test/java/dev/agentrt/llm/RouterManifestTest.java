package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.memory.Embedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load-time checks of {@code kind: router} nodes: the keys and the graph around them. */
class RouterManifestTest {
  static final String F = "workflows/w.yml:";

  /** Never called: these workflows fail to load. */
  static final Embedder UNUSED =
      new Embedder() {
        @Override
        public String model() {
          return "unused";
        }

        @Override
        public int dimension() {
          return 1;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
          throw new AssertionError("no embedding at load time");
        }
      };

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
  }

  List<String> problems(String workflow) throws IOException {
    Files.writeString(dir.resolve("workflows/w.yml"), workflow);
    try {
      AgentRuntime.builder().configDir(dir).embedder(UNUSED).build().close();
      throw new AssertionError("loaded without problems");
    } catch (ManifestException e) {
      return e.problems().stream().map(ManifestProblem::toString).toList();
    }
  }

  /** {@code line:column} of the first occurrence of {@code needle} in {@code text}. */
  static String at(String text, String needle) {
    int idx = text.indexOf(needle);
    if (idx < 0) throw new IllegalArgumentException(needle);
    int line = 1 + (int) text.substring(0, idx).chars().filter(ch -> ch == '\n').count();
    int col = idx - text.lastIndexOf('\n', idx - 1);
    return line + ":" + col;
  }

  static String decide(String router, String role) {
    return """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: route, kind: router, ROLE router: ROUTER}
          - {id: a, kind: transform, template: a}
          - {id: b, kind: transform, template: b}
          - {id: done, role: exit}
        edges:
          - {from: start, to: route}
          - {from: route, to: a, when: code}
          - {from: route, to: b, when: docs}
          - {from: a, to: done}
          - {from: b, to: done}
        """
        .replace("ROUTER", router)
        .replace("ROLE ", role);
  }

  @Test
  void load_routerWithoutText_saysTextIsNeeded() throws IOException {
    String y = decide("{mode: decide}", "role: decision, ");

    assertThat(problems(y))
        .containsExactly(
            F
                + at(y, "{mode: decide}")
                + ": node 'route': router: needs text: (the template of the text to route, such"
                + " as {{input.request}})");
  }

  @Test
  void load_routerWithoutRouterBlock_saysWhatToAdd() throws IOException {
    String y = decide("x", "role: decision, ").replace(" router: x", "");

    assertThat(problems(y))
        .containsExactly(
            F
                + at(y, "{id: route")
                + ": node 'route': kind router needs router: (at least text:, the template of the"
                + " text to route, such as {{input.request}})");
  }

  @Test
  void load_decideModeOnLinearNode_saysItNeedsRoleDecision() throws IOException {
    String y =
        decide("{text: \"{{input.q}}\", mode: decide}", "")
            .replace("  - {from: route, to: b, when: docs}\n", "")
            .replace("  - {from: b, to: done}\n", "")
            .replace("  - {id: b, kind: transform, template: b}\n", "");

    assertThat(problems(y))
        .contains(
            F
                + at(y, "decide}")
                + ": node 'route': mode decide needs role: decision on the router's node (it takes"
                + " one of its edges), found role linear");
  }

  @Test
  void load_unknownFallback_suggestsAnEdge() throws IOException {
    String y = decide("{text: \"{{input.q}}\", mode: decide, fallback: doc}", "role: decision, ");

    assertThat(problems(y))
        .containsExactly(
            F
                + at(y, "doc}")
                + ": node 'route': fallback: 'doc' is neither ask nor the when: of one of the"
                + " node's edges (did you mean 'docs'?)");
  }

  @Test
  void load_minConfidenceWithNowhereToGo_saysWhatToAdd() throws IOException {
    String y =
        decide("{text: \"{{input.q}}\", mode: decide, min_confidence: 0.5}", "role: decision, ");

    assertThat(problems(y))
        .containsExactly(
            F
                + at(y, "0.5}")
                + ": node 'route': min_confidence: a ranking below it has nowhere to go (add"
                + " fallback: ask, fallback: <the when: of an edge>, or an edge without when:)");
  }

  @Test
  void load_unknownMode_listsTheModes() throws IOException {
    String y = decide("{text: \"{{input.q}}\", mode: decidee}", "role: decision, ");

    assertThat(problems(y))
        .contains(
            F
                + at(y, "decidee}")
                + ": node 'route': router.mode: 'decidee' is not one of decide, inform (did you"
                + " mean 'decide'?)");
  }

  @Test
  void load_informRouterIntoNonDecision_saysToUseADecision() throws IOException {
    String y =
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: advise, kind: router, router: {text: "{{input.q}}"}}
          - {id: a, kind: transform, template: a}
          - {id: done, role: exit}
        edges:
          - {from: start, to: advise}
          - {from: advise, to: a}
          - {from: a, to: done}
        """;

    assertThat(problems(y))
        .containsExactly(
            F
                + at(y, "{text:")
                + ": node 'advise': mode inform recommends to the decision its edge enters, but"
                + " node 'a' is not a decision (give it role: decision, or use mode: decide)");
  }

  @Test
  void build_noEmbedder_saysWhichDependencyToAdd() throws IOException {
    String y = decide("{text: \"{{input.q}}\", mode: decide}", "role: decision, ");
    Files.writeString(dir.resolve("workflows/w.yml"), y);

    assertThatThrownBy(
            () ->
                AgentRuntime.builder()
                    .configDir(dir)
                    .nodeExecutor(
                        new dev.agentrt.llm.internal.RouterNodeExecutorProvider()
                            .create(new NoEmbedderSetup(dir)))
                    .build())
        .isInstanceOf(ManifestException.class)
        .hasMessageEndingWith(
            F
                + at(y, "{id: route")
                + ": node 'route': kind router needs an embedding model: add"
                + " dev.agentrt:agent-embeddings to the class path, or give"
                + " AgentRuntime.builder().embedder(...)");
  }

  /** A setup without an embedding model; the provider reads nothing else of it. */
  record NoEmbedderSetup(Path configDir) implements dev.agentrt.core.spi.ExecutorSetup {
    @Override
    public dev.agentrt.core.manifest.Manifests manifests() {
      throw new UnsupportedOperationException();
    }
  }
}
