package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static dev.agentrt.core.manifest.ManifestReferencesTest.F;
import static dev.agentrt.core.manifest.ManifestReferencesTest.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys each kind owns are checked by the kind ({@link NodeKeys} of its executor): a missing
 * required key at the node, a reference to nothing at the key, a key of another kind at the key,
 * naming the kinds that own it.
 */
class NodeKindKeysTest {
  @TempDir java.nio.file.Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  /** Kind {@code echo}, owning key {@code tool}: required, and only {@code ok} exists. */
  private static final NodeKeys ECHO_KEYS =
      NodeKeys.of(
          Set.of("tool"),
          (node, manifests) -> {
            if (node.tool() == null)
              return List.of(NodeKeys.missing("echo", "tool", "the tool to echo"));
            if (node.tool().equals("ok")) return List.of();
            return List.of(new NodeProblem("tool", "no tool '" + node.tool() + "'"));
          });

  @Test
  void load_transformWithoutTemplate_isReportedAtTheNode() {
    String y = workflow("x", "{id: work, kind: transform}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: work")
                + ": node 'work': kind transform needs template: (the value to build from state)");
  }

  @Test
  void load_functionWithoutFunction_isReportedAtTheNode() {
    String y = workflow("x", "{id: work, kind: function}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: work")
                + ": node 'work': kind function needs function:"
                + " (the name of a function registered on the builder)");
  }

  @Test
  void load_workflowWithoutWorkflow_isReportedAtTheNode() {
    String y = workflow("x", "{id: work, kind: workflow}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "{id: work")
                + ": node 'work': kind workflow needs workflow: (the id of the sub-workflow)");
  }

  @Test
  void load_requiredKeyMisspelt_reportsTheUnknownKeyNotTheMissingOne() {
    String y = workflow("x", "{id: work, kind: transform, tempalte: hi}");
    fx.workflow(y);

    assertThat(fx.problems())
        .singleElement()
        .asString()
        .contains("unknown key 'tempalte'")
        .doesNotContain("needs template");
  }

  @Test
  void load_functionKeyOnTransform_isReportedAtTheKeyNamingItsKind() {
    String y = workflow("x", "{id: work, kind: transform, template: hi, function: greet}");
    fx.function("greet").workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "greet") + ": node 'work': function: applies to kind function only");
  }

  @Test
  void load_workflowKeyOnFunction_isReportedAtTheKeyNamingItsKind() {
    String y = workflow("x", "{id: work, kind: function, function: greet, workflow: sub}");
    fx.function("greet").workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "sub}") + ": node 'work': workflow: applies to kind workflow only");
  }

  @Test
  void load_kindKeyOnNodeWithoutKind_isReported() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start, template: hi}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "hi}") + ": node 'start': template: applies to kind transform only");
  }

  @Test
  void load_executorsKeys_areCheckedByItsNodeKeysAtTheKeyOrTheNode() {
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: a, kind: echo, tool: nope}
          - {id: b, kind: echo}
          - {id: c, kind: echo, tool: ok}
          - {id: done, role: exit}
        edges:
          - {from: start, to: a}
          - {from: a, to: b}
          - {from: b, to: c}
          - {from: c, to: done}
        """;
    fx.executor("echo", ECHO_KEYS).workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "nope") + ": node 'a': no tool 'nope'",
            F + at(y, "{id: b") + ": node 'b': kind echo needs tool: (the tool to echo)");
  }

  @Test
  void load_keyOwnedByTwoKindsOnAThird_namesBothOwners() {
    String y = workflow("x", "{id: work, kind: transform, template: hi, tool: ok}");
    fx.executor("echo", ECHO_KEYS).executor("ping", ECHO_KEYS).workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "ok}") + ": node 'work': tool: applies to kinds echo and ping only");
  }

  @Test
  void load_keyOfAKindWithoutDeclaredKeys_isAcceptedOnItsNodes() {
    // an executor that declares no keys: its nodes' keys are its own business (validate)
    fx.executor("agent")
        .agent("triage", "name: triage\n")
        .workflow(workflow("x", "{id: work, kind: agent, agent: triage}"));

    assertThat(fx.load().workflows()).containsOnlyKeys("x");
  }

  @Test
  void loader_givenExecutorsKeys_checkedWithoutRunningAndDeclaredKindOwnsNone() {
    String y = workflow("x", "{id: work, kind: echo}");
    fx.workflow(y);
    dev.agentrt.core.spi.NodeExecutor echo =
        new dev.agentrt.core.spi.NodeExecutor() {
          @Override
          public String kind() {
            return "echo";
          }

          @Override
          public NodeKeys nodeKeys() {
            return ECHO_KEYS;
          }

          @Override
          public dev.agentrt.core.spi.NodeOutcome execute(
              dev.agentrt.core.spi.NodeInput input, dev.agentrt.core.spi.NodeContext context) {
            throw new UnsupportedOperationException("not run");
          }
        };

    ManifestLoader.Result given =
        ManifestLoader.builder().discovery(false).nodeExecutor(echo).build().load(dir);
    ManifestLoader.Result declared =
        ManifestLoader.builder().discovery(false).kind("echo").build().load(dir);

    assertThat(given.problems())
        .extracting(ManifestProblem::toString)
        .containsExactly(
            F + at(y, "{id: work") + ": node 'work': kind echo needs tool: (the tool to echo)");
    assertThat(declared.problems()).isEmpty();
  }
}
