package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static dev.agentrt.core.engine.Fixture.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node roles at run time: decision, branch/merge, split/merge, exit, transform, input mapping. */
class RolesTest {
  @TempDir Path dir;

  private static final String DECISION =
      """
      id: decide
      nodes:
        - {id: start, role: start}
        - {id: classify, kind: transform, role: decision, route: kind, template: {kind: "{{input.kind}}"}}
        - {id: bug, kind: transform, template: "bug path"}
        - {id: feature, kind: transform, template: "feature path"}
        - {id: other, kind: transform, template: "other path"}
        - {id: done, role: exit}
      edges:
        - {from: start, to: classify}
        - {from: classify, to: bug, when: bug}
        - {from: classify, to: feature, when: feature}
        - {from: classify, to: other}
        - {from: bug, to: done}
        - {from: feature, to: done}
        - {from: other, to: done}
      """;

  private static final String DECISION_NO_DEFAULT =
      """
      id: strict
      nodes:
        - {id: start, role: start}
        - {id: classify, kind: transform, role: decision, route: kind, template: {kind: "{{input.kind}}"}}
        - {id: bug, kind: transform, template: "bug path"}
        - {id: feature, kind: transform, template: "feature path"}
        - {id: done, role: exit}
      edges:
        - {from: start, to: classify}
        - {from: classify, to: bug, when: bug}
        - {from: classify, to: feature, when: feature}
        - {from: bug, to: done}
        - {from: feature, to: done}
      """;

  @Test
  void run_decisionMatchesWhen_takesThatEdge() {
    try (AgentRuntime rt = runtime(dir, DECISION).build()) {
      RunResult r = rt.run("decide", Map.of("kind", "feature"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(r)).containsExactly("start#0", "classify#0", "feature#0", "done#0");
      assertThat(r.output().get("feature").asText()).isEqualTo("feature path");
      assertThat(r.output().has("bug")).isFalse();
    }
  }

  @Test
  void run_decisionMatchesNoWhen_takesDefaultEdge() {
    try (AgentRuntime rt = runtime(dir, DECISION).build()) {
      RunResult r = rt.run("decide", Map.of("kind", "chore"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(keys(r)).containsExactly("start#0", "classify#0", "other#0", "done#0");
    }
  }

  @Test
  void run_decisionMatchesNothingWithoutDefault_failsWithNodeFailedNamingValue() {
    try (AgentRuntime rt = runtime(dir, DECISION_NO_DEFAULT).build()) {
      RunResult r = rt.run("strict", Map.of("kind", "chore"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.NODE_FAILED);
      assertThat(r.stepKey()).isEqualTo("classify#0");
      assertThat(r.message())
          .isEqualTo(
              "step 'classify#0' (node 'classify') failed: decision 'classify': route value"
                  + " 'chore' matches no edge (when: bug, feature) and no edge is the default");
    }
  }

  @Test
  void run_branchMerge_outputKeyedByNodeEnteringMerge() {
    String wf =
        """
        id: fan
        nodes:
          - {id: start, role: start}
          - {id: fork, role: branch}
          - {id: a1, kind: transform, template: "a1"}
          - {id: a2, kind: transform, template: "{{a1}}+a2"}
          - {id: b, kind: transform, template: {b: "{{input.x}}"}}
          - {id: join, role: merge}
          - {id: done, role: exit, output: "{{join}}"}
        edges:
          - {from: start, to: fork}
          - {from: fork, to: a1}
          - {from: fork, to: b}
          - {from: a1, to: a2}
          - {from: a2, to: join}
          - {from: b, to: join}
          - {from: join, to: done}
        """;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      RunResult r = rt.run("fan", Map.of("x", 7));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(json("{\"a2\": \"a1+a2\", \"b\": {\"b\": 7}}"));
      assertThat(keys(r))
          .containsExactly(
              "start#0",
              "fork#0",
              "fork#0[a1]/a1#0",
              "fork#0[a1]/a2#0",
              "fork#0[b]/b#0",
              "join#0",
              "done#0");
    }
  }

  @Test
  void run_splitItemsFinishInReverseOrder_mergeKeepsItemOrder() {
    String wf =
        """
        id: each
        nodes:
          - {id: start, role: start}
          - {id: items, role: split, items: input.items}
          - {id: work, kind: function, function: work}
          - {id: joined, role: merge}
          - {id: done, role: exit, output: "{{joined}}"}
        edges:
          - {from: start, to: items}
          - {from: items, to: work}
          - {from: work, to: joined}
          - {from: joined, to: done}
        """;
    int n = 4;
    CountDownLatch[] finished = new CountDownLatch[n];
    for (int i = 0; i < n; i++) finished[i] = new CountDownLatch(1);
    List<Integer> completionOrder = new CopyOnWriteArrayList<>();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .function(
                "work",
                (in, ctx) -> {
                  int index = in.get("$index").asInt();
                  // item i finishes only after item i+1 has finished: completion order is n-1, ...,
                  // 0
                  if (index + 1 < n) Fixture.await(finished[index + 1]);
                  completionOrder.add(index);
                  finished[index].countDown();
                  return TextNode.valueOf(in.get("$item").asText().toUpperCase());
                })
            .build()) {
      RunResult r = rt.run("each", Map.of("items", List.of("a", "b", "c", "d")));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(completionOrder).containsExactly(3, 2, 1, 0);
      assertThat(r.output()).isEqualTo(json("[\"A\", \"B\", \"C\", \"D\"]"));
      assertThat(keys(r))
          .containsExactly(
              "start#0",
              "items#0",
              "items#0[0]/work#0",
              "items#0[1]/work#0",
              "items#0[2]/work#0",
              "items#0[3]/work#0",
              "joined#0",
              "done#0");
    }
  }

  @Test
  void run_exitOutputTemplate_buildsResultFromState() {
    String wf =
        """
        id: shaped
        nodes:
          - {id: start, role: start}
          - {id: calc, kind: transform, template: {n: "{{input.n}}", tags: [x, y]}}
          - id: done
            role: exit
            output: {greeting: "Hi {{input.name}}", n: "{{calc.n}}", tags: "{{calc.tags}}", fixed: true}
        edges:
          - {from: start, to: calc}
          - {from: calc, to: done}
        """;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      RunResult r = rt.run("shaped", Map.of("name", "Ada", "n", 3));

      assertThat(r.output())
          .isEqualTo(
              json(
                  "{\"greeting\": \"Hi Ada\", \"n\": 3, \"tags\": [\"x\", \"y\"], \"fixed\": true}"));
      assertThat(step(r, "done#0").output()).isEqualTo(r.output());
    }
  }

  @Test
  void run_transformTemplate_exactPathKeepsTypeAndLongerStringInterpolates() {
    String wf =
        """
        id: tpl
        nodes:
          - {id: start, role: start}
          - id: t
            kind: transform
            template:
              obj: "{{input.obj}}"
              num: "{{input.num}}"
              text: "num={{input.num}} name={{input.obj.name}}"
              list: ["{{input.num}}", "n{{input.num}}"]
          - {id: done, role: exit, output: "{{t}}"}
        edges:
          - {from: start, to: t}
          - {from: t, to: done}
        """;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      RunResult r = rt.run("tpl", json("{\"num\": 42, \"obj\": {\"name\": \"x\", \"ok\": true}}"));

      assertThat(r.output())
          .isEqualTo(
              json(
                  "{\"obj\": {\"name\": \"x\", \"ok\": true}, \"num\": 42,"
                      + " \"text\": \"num=42 name=x\", \"list\": [42, \"n42\"]}"));
    }
  }

  @Test
  void run_nodeInputMapping_functionSeesMappedObject() {
    String wf =
        """
        id: mapped
        nodes:
          - {id: start, role: start}
          - {id: plan, kind: transform, template: {text: "the plan", steps: 3}}
          - id: act
            kind: function
            function: act
            input: {plan: plan.text, who: input.name, missing: plan.nothing}
          - {id: done, role: exit, output: "{{act}}"}
        edges:
          - {from: start, to: plan}
          - {from: plan, to: act}
          - {from: act, to: done}
        """;
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .function(
                "act",
                (in, ctx) -> {
                  seen.set(in.value());
                  return TextNode.valueOf("ok");
                })
            .build()) {
      RunResult r = rt.run("mapped", Map.of("name", "Ada"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(seen.get())
          .isEqualTo(json("{\"plan\": \"the plan\", \"who\": \"Ada\", \"missing\": null}"));
    }
  }
}
