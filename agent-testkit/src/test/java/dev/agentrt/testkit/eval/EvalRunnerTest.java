package dev.agentrt.testkit.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.AgentRuntime;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EvalRunner}: each expectation kind passes when it holds and names what broke it. */
class EvalRunnerTest {
  @TempDir Path config;
  @TempDir Path tmp;

  EvalResult run(String yml) {
    return run(yml, b -> {});
  }

  EvalResult run(String yml, Consumer<AgentRuntime.Builder> customizer) {
    new EvalFixture(config).eval("c", yml);
    EvalSuite suite = EvalSuite.load(config);
    return EvalRunner.builder(config, tmp)
        .environment(name -> null)
        .customize(customizer)
        .build()
        .run(suite.cases().get(0));
  }

  @Test
  void transform_everyCheckHolds_passes() {
    EvalResult r =
        run(
            """
            workflow: t
            input: {kind: Fixed}
            expect:
              status: completed
              output:
                - {path: heading, equals: "### Fixed"}
                - {path: n, equals: 3}
                - {path: tags, equals: [a, b]}
                - {path: tags.1, equals: b}
                - {path: body, contains: lazy validator}
                - {path: body, matches: "^- .*"}
                - {path: "", schema_valid: {type: object, required: [heading]}}
              steps: [start#0, shape#0, done#0]
              max_llm_calls: 0
              max_cost_usd: 0
            """);

    assertThat(r.failures()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.name()).isEqualTo("c");
    assertThat(r.workflow()).isEqualTo("t");
    assertThat(r.runs()).isEqualTo(1);
    assertThat(r.passes()).isEqualTo(1);
  }

  @Test
  void transform_everyCheckBroken_failsNamingEachCheckPathExpectedAndActual() {
    EvalResult r =
        run(
            """
            workflow: t
            input: {kind: Added}
            expect:
              status: FAILED
              reason: TIMEOUT
              output:
                - {path: heading, equals: "### Fixed"}
                - {path: body, contains: cache}
                - {path: body, matches: "^\\\\* "}
                - {path: "", schema_valid: {type: object, required: [title]}}
                - {path: nothing.here, equals: 1}
              steps: [start#0, done#0]
            """);

    assertThat(r.passed()).isFalse();
    assertThat(r.passes()).isZero();
    assertThat(r.failures())
        .containsExactly(
            "status: expected FAILED but was COMPLETED",
            "reason: expected TIMEOUT but was null",
            "output.heading equals: expected \"### Fixed\" but was \"### Added\"",
            "output.body contains: expected to contain \"cache\" but was \"- lazy validator\"",
            "output.body matches: expected to match /^\\* / but was \"- lazy validator\"",
            "output schema_valid: $: required property 'title' not found (value:"
                + " {\"heading\":\"### Added\",\"body\":\"- lazy validator\",\"n\":3,\"tags\":[\"a\",\"b\"]})",
            "output.nothing.here equals: no value at this path (output:"
                + " {\"heading\":\"### Added\",\"body\":\"- lazy validator\",\"n\":3,\"tags\":[\"a\",\"b\"]})",
            "steps: expected [start#0, done#0] but were [start#0, shape#0, done#0]");
  }

  @Test
  void steps_include_acceptsASubsequenceAndRejectsAnotherOrder() {
    String yml = "workflow: t\ninput: {kind: X}\nexpect: {steps: {include: [%s]}}\n";
    assertThat(run(yml.formatted("start#0, done#0")).failures()).isEmpty();
    assertThat(run(yml.formatted("done#0, start#0")).failures())
        .containsExactly(
            "steps include: expected [done#0, start#0] in this order, missing start#0 (steps were"
                + " [start#0, shape#0, done#0])");
  }

  @Test
  void scriptedAgent_countsCallsTokensAndCost_andChecksTheirLimits() {
    String yml =
        """
        workflow: a
        models: {m: scripts/a.yml}
        expect:
          output: [{path: heading, equals: "### Fixed"}]
          max_llm_calls: LIMIT
          max_cost_usd: COST
        """;
    EvalResult ok = run(yml.replace("LIMIT", "1").replace("COST", "0.2"));
    assertThat(ok.failures()).isEmpty();
    assertThat(ok.llmCalls()).isEqualTo(1);
    assertThat(ok.tokens()).isEqualTo(120);
    assertThat(ok.costUsd()).isCloseTo(0.12, org.assertj.core.data.Offset.offset(1e-9));

    EvalResult over = run(yml.replace("LIMIT", "0").replace("COST", "0.1"));
    assertThat(over.failures())
        .containsExactly(
            "max_cost_usd: expected at most 0.1 but the run cost 0.12",
            "max_llm_calls: expected at most 0 but the run made 1");
  }

  @Test
  void runsAndPassRate_threeOfFivePass_passAt06AndFailAt08() {
    String yml =
        """
        workflow: f
        runs: 5
        pass_rate: RATE
        expect: {output: [{path: ok, equals: true}]}
        """;
    new EvalFixture(config).functionWorkflow();
    AtomicInteger calls = new AtomicInteger();
    Consumer<AgentRuntime.Builder> flip =
        b ->
            b.function(
                "flip",
                (in, ctx) ->
                    JsonNodeFactory.instance
                        .objectNode()
                        .put("ok", calls.getAndIncrement() % 2 == 0)); // runs 1, 3, 5 pass

    EvalResult at06 = run(yml.replace("RATE", "0.6"), flip);
    assertThat(at06.passed()).isTrue();
    assertThat(at06.passes()).isEqualTo(3);
    assertThat(at06.runs()).isEqualTo(5);
    assertThat(at06.failures())
        .containsExactly(
            "run 2: output.ok equals: expected true but was false",
            "run 4: output.ok equals: expected true but was false");

    calls.set(0);
    EvalResult at08 = run(yml.replace("RATE", "0.8"), flip);
    assertThat(at08.passed()).isFalse();
    assertThat(at08.passes()).isEqualTo(3);
    assertThat(at08.failures().get(0)).isEqualTo("3 of 5 runs passed, 4 needed (pass_rate 0.8)");
  }

  @Test
  void realModels_keySet_callsTheConfiguredProviderInsteadOfTheCaseScript() {
    // the configured model m replays scripts/a.yml; the case's script says something else
    new EvalFixture(config)
        .write(
            "scripts/other.yml",
            "turns:\n  - text: '{\"heading\": \"other\"}'\n    usage: {input_tokens: 1, output_tokens: 1}\n")
        .eval(
            "c",
            "workflow: a\nmodels: {m: scripts/other.yml}\nexpect: {output: [{path: heading, equals: other}]}\n");
    EvalCase c = EvalSuite.load(config).cases().get(0);

    EvalRunner.Builder b = EvalRunner.builder(config, tmp);
    assertThat(b.realModels(true).environment(name -> null).build().run(c).passed())
        .as("no key: the case's script")
        .isTrue();
    EvalResult real =
        EvalRunner.builder(config, tmp)
            .realModels(true)
            .environment(name -> name.equals("EVAL_TEST_KEY") ? "k" : null)
            .build()
            .run(c);
    assertThat(real.failures())
        .containsExactly("output.heading equals: expected \"other\" but was \"### Fixed\"");
  }
}
