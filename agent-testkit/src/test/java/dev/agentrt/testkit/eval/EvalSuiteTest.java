package dev.agentrt.testkit.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentrt.core.RunStatus;
import dev.agentrt.testkit.TestStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EvalSuite#load}: the case format, and every problem with its file:line:col. */
class EvalSuiteTest {
  @TempDir Path config;

  @Test
  void load_oneCasePerFileAndCasesLists_readsEveryFieldAndSkipsSubdirectories() {
    new EvalFixture(config)
        .eval(
            "single",
            """
            description: a bug fix
            workflow: t
            input: {kind: Fixed}
            models: {m: scripts/a.yml}
            workspace: prompts
            store: SQLite
            runs: 5
            pass_rate: 0.8
            expect:
              status: failed
              reason: timeout
              output: [{path: a.0, equals: {x: 1}}]
              steps: {include: [start#0]}
              max_cost_usd: 0.01
              max_llm_calls: 4
            """)
        .eval("many", "cases:\n  - {name: one, workflow: t}\n  - {name: two, workflow: a}\n")
        .write("evals/router/requests.yml", "not: [a case\n");

    EvalSuite suite = EvalSuite.load(config);

    assertThat(suite.cases()).extracting(EvalCase::name).containsExactly("one", "two", "single");
    EvalCase c = suite.cases().get(2);
    assertThat(c.description()).isEqualTo("a bug fix");
    assertThat(c.workflow()).isEqualTo("t");
    assertThat(c.input().toString()).isEqualTo("{\"kind\":\"Fixed\"}");
    assertThat(c.models()).containsEntry("m", "scripts/a.yml");
    assertThat(c.workspace()).isEqualTo(config.resolve("prompts"));
    assertThat(c.store()).isEqualTo(TestStore.SQLITE);
    assertThat(c.runs()).isEqualTo(5);
    assertThat(c.requiredPasses()).isEqualTo(4);
    assertThat(c.expect().status()).isEqualTo(RunStatus.FAILED);
    assertThat(c.expect().output().get(0).kind()).isEqualTo("equals");
    assertThat(c.expect().steps()).containsExactly("start#0");
    assertThat(c.expect().stepsExact()).isFalse();
    assertThat(c.expect().maxLlmCalls()).isEqualTo(4);
    EvalCase one = suite.cases().get(0);
    assertThat(one.expect().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(one.runs()).isEqualTo(1);
    assertThat(one.passRate()).isEqualTo(1.0);

    assertThat(suite.filter("o").cases()).extracting(EvalCase::name).containsExactly("one", "two");
    assertThat(suite.filter("s*").cases()).extracting(EvalCase::name).containsExactly("single");
    assertThat(suite.filter("?ne").cases()).extracting(EvalCase::name).containsExactly("one");
  }

  @Test
  void load_badFiles_reportsEveryProblemWithFileLineColumnAndTheFix() {
    new EvalFixture(config)
        .eval(
            "bad",
            """
            workflw: t
            workflow: tt
            models: {m: scripts/none.yml, mm: scripts/a.yml}
            runs: 0
            pass_rate: 1.5
            store: disk
            expect:
              status: done
              output:
                - {path: a, matches: "(unclosed"}
                - {path: b, schema_valid: {type: strin}}
                - {path: c, equals: 1, contains: x}
                - {path: d, contain: x}
              steps: [a, 1]
              max_llm_calls: many
            """)
        .eval("dup", "cases:\n  - {name: one, workflow: t}\n")
        .eval("dup2", "cases:\n  - {name: one, workflow: t}\n  - {workflow: t}\n")
        .eval("yaml", "workflow: [t\n");

    EvalException e = catchThrowableOfType(EvalException.class, () -> EvalSuite.load(config));

    assertThat(e.problems())
        .containsExactly(
            "evals/bad.yml:1:1: unknown key 'workflw' (did you mean 'workflow'?) (keys: name,"
                + " description, workflow, input, models, workspace, store, runs, pass_rate, expect)",
            "evals/bad.yml:2:11: unknown workflow 'tt' (did you mean 't'?) (workflows: a, t)",
            "evals/bad.yml:3:13: script 'scripts/none.yml' not found (a path relative to the"
                + " configuration directory)",
            "evals/bad.yml:3:31: unknown model 'mm' (did you mean 'm'?) (config.yml models: m)",
            "evals/bad.yml:4:7: runs must be a whole number from 1 to 1000, not 0",
            "evals/bad.yml:5:12: pass_rate must be a number in (0, 1], such as 0.8, not 1.5",
            "evals/bad.yml:6:8: store must be memory or sqlite, not 'disk'",
            "evals/bad.yml:8:11: unknown status 'done' (one of: RUNNING, WAITING, COMPLETED,"
                + " FAILED, CANCELLED, QUEUED)",
            "evals/bad.yml:10:26: bad regular expression: Unclosed group near index 9 of"
                + " '(unclosed'",
            "evals/bad.yml:11:31: invalid JSON schema: /type: 'strin' is not a type (use one of:"
                + " array, boolean, integer, null, number, object, string)",
            "evals/bad.yml:12:7: one check per entry, not equals and contains (split it in two)",
            "evals/bad.yml:13:7: missing check: give one of equals, contains, matches,"
                + " schema_valid",
            "evals/bad.yml:13:17: unknown key 'contain' (did you mean 'contains'?) (keys: path,"
                + " equals, contains, matches, schema_valid)",
            "evals/bad.yml:14:10: steps must be a list of step keys such as [start#0, done#0], or"
                + " {include: [...]}",
            "evals/bad.yml:15:18: max_llm_calls must be a whole number >= 0, not \"many\"",
            "evals/dup2.yml:2:12: duplicate case name 'one' (also at evals/dup.yml:2:12)",
            "evals/dup2.yml:3:5: missing name: (each case under cases: needs one)",
            "evals/yaml.yml:2:1: invalid YAML: expected ',' or ']', but got <stream end> (while"
                + " parsing a flow sequence that starts at line 1, column 11)");
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
  }

  @Test
  void load_malformedOutputPathAndDuplicateKey_areProblemsAtTheirPlaces() {
    new EvalFixture(config)
        .eval(
            "paths",
            "workflow: t\nexpect:\n  output: [{path: a..b, equals: 1}]\nruns: 1\nruns: 2\n");

    EvalException e = catchThrowableOfType(EvalException.class, () -> EvalSuite.load(config));

    assertThat(e.problems())
        .containsExactly(
            "evals/paths.yml:3:19: path 'a..b' has an empty segment (write it as a.b.0)",
            "evals/paths.yml:5:1: duplicate key 'runs' (remove one; the later value would win)");
  }
}
