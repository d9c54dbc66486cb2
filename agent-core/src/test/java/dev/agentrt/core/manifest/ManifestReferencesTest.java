package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * References from nodes: kinds, functions, agents, sub-workflows, template paths, keys of other
 * kinds.
 */
class ManifestReferencesTest {
  static final String F = "workflows/x.yml:";

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  static String workflow(String id, String work) {
    return """
        id: ID
        nodes:
          - {id: start, role: start}
          - WORK
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """
        .replace("ID", id)
        .replace("WORK", work);
  }

  @Test
  void load_agentKindWithoutExecutor_namesTheModuleToAdd() {
    String y = workflow("x", "{id: work, kind: agent, agent: triage}");
    fx.agent("triage", "name: triage\n").workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "agent,")
                + ": node 'work': kind 'agent' has no executor on the classpath (add dependency dev.agentrt:agent-llm)");
  }

  @Test
  void load_agentKindWithExecutorAndAgent_loadsWithoutProblems() {
    fx.executor("agent")
        .agent("triage", "name: triage\n")
        .workflow(workflow("x", "{id: work, kind: agent, agent: triage}"));

    assertThat(fx.load().agents()).containsOnlyKeys("triage");
  }

  @Test
  void load_unknownKind_suggestsClosestKind() {
    String y = workflow("x", "{id: work, kind: transfrom, template: hi}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "transfrom")
                + ": node 'work': unknown kind 'transfrom' (did you mean 'transform'?)");
  }

  @Test
  void load_functionNotRegistered_saysHowToRegister() {
    String y = workflow("x", "{id: work, kind: function, function: greet}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "greet")
                + ": node 'work': function 'greet' is not registered (register it with AgentRuntime.builder().function(\"greet\", ...) or provide it with a FunctionProvider)");
  }

  @Test
  void load_functionMisspelled_suggestsRegisteredFunction() {
    String y = workflow("x", "{id: work, kind: function, function: gret}");
    fx.function("greet").workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "gret")
                + ": node 'work': function 'gret' is not registered (did you mean 'greet'?)");
  }

  @Test
  void load_functionRegistered_loadsWithoutProblems() {
    fx.function("greet").workflow(workflow("x", "{id: work, kind: function, function: greet}"));

    assertThat(fx.load().workflows()).containsOnlyKeys("x");
  }

  @Test
  void load_unknownSubWorkflow_suggestsClosestWorkflow() {
    String y = workflow("x", "{id: work, kind: workflow, workflow: chlid}");
    fx.workflow("child", workflow("child", "{id: work, kind: transform, template: hi}"))
        .workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "chlid") + ": node 'work': no workflow 'chlid' (did you mean 'child'?)");
  }

  @Test
  void load_subWorkflowCycle_namesTheCycle() {
    String b = workflow("b", "{id: work, kind: workflow, workflow: a}");
    fx.workflow("a", workflow("a", "{id: work, kind: workflow, workflow: b}")).workflow("b", b);

    // reported once, at the call that closes the cycle
    assertThat(fx.problems())
        .containsExactly(
            "workflows/b.yml:"
                + at(b, "a}")
                + ": node 'work': sub-workflows call each other in a cycle: a -> b -> a"
                + " (a workflow cannot run itself, directly or through others)");
  }

  @Test
  void load_templatePathWithUnknownRoot_suggestsRoot() {
    String y = workflow("x", "{id: work, kind: transform, template: \"{{inptu.x}}\"}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "\"{{inptu")
                + ": node 'work': path 'inptu.x': state has no 'inptu' (did you mean 'input'?)");
  }

  @Test
  void load_templatePathWithFarOffRoot_listsRoots() {
    String y = workflow("x", "{id: work, kind: transform, template: \"{{zzz}}\"}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "\"{{zzz")
                + ": node 'work': path 'zzz': state has no 'zzz'"
                + " (paths start with input, a node id, $loops, $resume, $error, $item or $index)");
  }

  @Test
  void load_templateOnFunctionNode_reportsKeyOfOtherKind() {
    String y = workflow("x", "{id: work, kind: function, function: greet, template: hi}");
    fx.function("greet").workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "hi}") + ": node 'work': template: applies to kind transform only");
  }

  @Test
  void load_routeOnLinearNode_reportsKeyOfOtherRole() {
    String y = workflow("x", "{id: work, kind: transform, route: verdict, template: hi}");
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "verdict") + ": node 'work': route: applies to role decision only");
  }
}
