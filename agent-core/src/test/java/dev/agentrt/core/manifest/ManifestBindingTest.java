package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Binding YAML to the manifest records: keys, types, enums, constraints and YAML syntax. */
class ManifestBindingTest {
  static final String F = "workflows/x.yml:";

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  /**
   * A valid workflow with {@code WORK} standing for the middle node and {@code BUDGET} for a budget
   * line.
   */
  static String workflow(String work, String budget) {
    return """
        id: x
        BUDGET
        nodes:
          - {id: start, role: start}
          - WORK
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """
        .replace("BUDGET", budget)
        .replace("WORK", work);
  }

  record Case(String yaml, String needle, String message) {}

  static Stream<Arguments> badWorkflows() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "unknown key with did-you-mean",
                new Case(
                    workflow("{id: work, kind: transform, tempalte: hi}", ""),
                    "tempalte",
                    "node 'work': unknown key 'tempalte' (did you mean 'template'?)"))),
        Arguments.of(
            Named.of(
                "unknown role with did-you-mean",
                new Case(
                    workflow("{id: work, kind: transform, role: desicion, template: hi}", ""),
                    "desicion",
                    "node 'work': role: 'desicion' is not one of start, linear, decision, branch, split, merge, exit"
                        + " (did you mean 'decision'?)"))),
        Arguments.of(
            Named.of(
                "text where a whole number belongs",
                new Case(
                    workflow(
                        "{id: work, kind: transform, template: hi}", "budget: {max_hops: lots}"),
                    "lots",
                    "budget.max_hops: 'lots' is not a whole number"))),
        Arguments.of(
            Named.of(
                "number where a list belongs",
                new Case(
                    "id: x\nnodes: 3\nedges: []\n",
                    "3",
                    "nodes: expected a list, found a number"))),
        Arguments.of(
            Named.of(
                "bad duration",
                new Case(
                    workflow(
                        "{id: work, kind: transform, template: hi}",
                        "budget: {max_duration: 5 minutes}"),
                    "5 minutes",
                    "budget.max_duration: '5 minutes' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)"))),
        Arguments.of(
            Named.of(
                "negative budget",
                new Case(
                    workflow("{id: work, kind: transform, template: hi}", "budget: {max_hops: -1}"),
                    "-1",
                    "budget.max_hops: must be greater than 0 (found '-1')"))),
        Arguments.of(
            Named.of(
                "node id with a dot",
                new Case(
                    workflow("{id: work, kind: transform, template: hi}", "")
                        .replace("to: work}", "to: a.b}")
                        .replace("from: work", "from: a.b")
                        .replace("id: work", "id: a.b"),
                    "a.b, kind",
                    "node 'a.b': id: must start with a letter or '_' and contain only letters, digits, '_' and '-'"
                        + " (no dots: ids are path segments) (found 'a.b')"))),
        Arguments.of(
            Named.of(
                "duplicate YAML key",
                new Case(
                    workflow("{id: work, kind: transform, template: a, template: b}", ""),
                    "b}",
                    "node 'work': duplicate key 'template' (remove one; the later value would win)"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badWorkflows")
  void load_badWorkflow_reportsExactProblem(Case c) {
    fx.workflow(c.yaml());

    assertThat(fx.problems()).containsExactly(F + at(c.yaml(), c.needle()) + ": " + c.message());
  }

  @Test
  void load_validBudget_bindsTypedValues() {
    fx.workflow(
        workflow(
            "{id: work, kind: transform, template: hi}",
            "budget: {max_hops: 7, max_duration: PT5M}"));

    BudgetSpec b = fx.load().workflow("x").orElseThrow().budget();

    assertThat(b.maxHops()).isEqualTo(7L);
    assertThat(b.maxDuration()).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void load_malformedYaml_reportsLineAndColumnOfSyntaxError() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start
          - {id: done, role: exit}
        edges: []
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: done")
                + ": invalid YAML: expected ',' or '}', but got {"
                + " (while parsing a flow mapping that starts at line "
                + at(y, "{id: start").replace(":", ", column ")
                + ")");
  }

  @Test
  void load_emptyWorkflowFile_reportsFileWithFix() {
    fx.workflow("\n");

    assertThat(fx.problems())
        .containsExactly(
            "workflows/x.yml: the file is empty (write the manifest, or delete the file)");
  }
}
