package dev.agentrt.tools;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.tool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.spi.Budget;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.ToolResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kind: tool} node re-executed after a crash left its non-idempotent call's intent without
 * a result: what the resume input's {@code effect} and {@code policy.tools.<name>.on_indeterminate}
 * decide.
 */
class ToolNodeDecisionTest {
  @TempDir Path ws;
  final List<String> keys = new CopyOnWriteArrayList<>();
  ToolBus bus;

  @AfterEach
  void close() {
    if (bus != null) bus.close();
  }

  ToolNodeExecutor executor(@Nullable String policy) {
    ToolPolicy.Builder p = ToolPolicy.builder().workspace(ws);
    if (policy != null)
      p.toolSettings("send", TestSupport.json("{'on_indeterminate': '" + policy + "'}"));
    bus =
        ToolBus.builder()
            .discovery(false)
            .policy(p.build())
            .tool(
                tool(
                    "send",
                    Effect.NON_IDEMPOTENT,
                    (c, x) -> {
                      keys.add(c.idempotencyKey());
                      return ToolResult.success(TextNode.valueOf("sent"));
                    }))
            .build();
    return ToolNodeExecutor.of(bus);
  }

  static final NodeSpec NODE =
      new NodeSpec(
          "send",
          "tool",
          null,
          null,
          null,
          "send",
          args("text", "hi"),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  /**
   * The journal of the step after the crash: the intent the first execution recorded, and no
   * result.
   */
  TestSupport.MemoryJournal crashed(ToolNodeExecutor ex) {
    TestSupport.MemoryJournal first = new TestSupport.MemoryJournal();
    assertThat(ex.execute(input(null), context(first))).isInstanceOf(NodeOutcome.Completed.class);
    TestSupport.MemoryJournal resumed = new TestSupport.MemoryJournal();
    resumed.earlier.addAll(first.committed);
    assertThat(resumed.earlier)
        .singleElement()
        .satisfies(c -> assertThat(c.kind()).isEqualTo(CallKind.INTENT));
    return resumed;
  }

  static NodeInput input(@Nullable JsonNode effect) {
    return new NodeInput() {
      @Override
      public NodeSpec node() {
        return NODE;
      }

      @Override
      public JsonNode get(String path) {
        if (path.equals("$resume.send.effect") && effect != null) return effect;
        return MissingNode.getInstance();
      }

      @Override
      public JsonNode value() {
        return TestSupport.json("{}");
      }
    };
  }

  static NodeContext context(TestSupport.MemoryJournal journal) {
    Budget budget =
        new Budget() {
          @Override
          public BudgetLimits limits() {
            throw new UnsupportedOperationException();
          }

          @Override
          public BudgetUsage used() {
            return BudgetUsage.ZERO;
          }

          @Override
          public void checkLlmCall() {}

          @Override
          public void checkToolCall() {}

          @Override
          public void chargeLlmCall(long inputTokens, long outputTokens, double costUsd) {}

          @Override
          public void chargeToolCall() {}
        };
    return new NodeContext() {
      @Override
      public String runId() {
        return "run-1";
      }

      @Override
      public String workflowId() {
        return "wf";
      }

      @Override
      public String stepKey() {
        return "send#0";
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }

      @Override
      public Budget budget() {
        return budget;
      }

      @Override
      public dev.agentrt.core.spi.CallJournal calls() {
        return journal;
      }

      @Override
      public Manifests manifests() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public void publish(RunEvent event) {}

      @Override
      public boolean pause(java.time.Duration duration) {
        return true;
      }
    };
  }

  @Test
  void execute_noDecision_suspendsWithIndeterminateEffectNamingTheCall() {
    ToolNodeExecutor ex = executor(null);
    TestSupport.MemoryJournal j = crashed(ex);

    NodeOutcome o = ex.execute(input(null), context(j));

    assertThat(o)
        .isInstanceOfSatisfying(
            NodeOutcome.Suspended.class,
            s -> {
              assertThat(s.reason()).isEqualTo(FailureReason.INDETERMINATE_EFFECT);
              assertThat(s.message()).contains("call send#0:0 was started by an earlier execution");
            });
    assertThat(keys).hasSize(1);
  }

  @Test
  void execute_resumedWithRetry_callsAgainWithTheSameKey() {
    ToolNodeExecutor ex = executor(null);
    TestSupport.MemoryJournal j = crashed(ex);

    NodeOutcome o = ex.execute(input(TextNode.valueOf("retry")), context(j));

    assertThat(o).isEqualTo(new NodeOutcome.Completed(TextNode.valueOf("sent")));
    assertThat(keys).containsExactly("run-1:send#0:0", "run-1:send#0:0");
  }

  @Test
  void execute_resumedWithSkip_completesWithoutCalling() {
    ToolNodeExecutor ex = executor(null);
    TestSupport.MemoryJournal j = crashed(ex);

    NodeOutcome o = ex.execute(input(TextNode.valueOf("skip")), context(j));

    assertThat(o)
        .isEqualTo(
            new NodeOutcome.Completed(
                TestSupport.json("{'skipped': true, 'tool': 'send', 'call': 'send#0:0'}")));
    assertThat(keys).hasSize(1);
  }

  @Test
  void execute_resumedWithFail_failsWithoutRetryNamingTheCall() {
    ToolNodeExecutor ex = executor(null);
    TestSupport.MemoryJournal j = crashed(ex);

    NodeOutcome o = ex.execute(input(TextNode.valueOf("fail")), context(j));

    assertThat(o)
        .isInstanceOfSatisfying(
            NodeOutcome.Failed.class,
            f -> {
              assertThat(f.message())
                  .isEqualTo(
                      "tool 'send': call send#0:0 was started by an earlier execution and its "
                          + "result was not recorded; it was not called again and fails (decision: fail)");
              assertThat(f.retryable()).isFalse();
            });
    assertThat(keys).hasSize(1);
  }

  @Test
  void execute_resumedWithUnknownDecision_failsListingTheThree() {
    ToolNodeExecutor ex = executor(null);
    TestSupport.MemoryJournal j = crashed(ex);

    NodeOutcome o = ex.execute(input(TextNode.valueOf("maybe")), context(j));

    assertThat(o)
        .isInstanceOfSatisfying(
            NodeOutcome.Failed.class,
            f -> {
              assertThat(f.message())
                  .isEqualTo(
                      "node 'send': resume input effect: 'maybe' is not a decision for call "
                          + "send#0:0 of tool 'send' (give {\"effect\": \"retry\"}, {\"effect\": \"skip\"} or {\"effect\": \"fail\"})");
              assertThat(f.retryable()).isFalse();
            });
    assertThat(keys).hasSize(1);
  }

  @Test
  void execute_policySkip_completesWithoutAPerson() {
    ToolNodeExecutor ex = executor("skip");
    TestSupport.MemoryJournal j = crashed(ex);

    NodeOutcome o = ex.execute(input(null), context(j));

    assertThat(o)
        .isInstanceOfSatisfying(
            NodeOutcome.Completed.class,
            c -> assertThat(c.output().path("skipped").asBoolean()).isTrue());
    assertThat(keys).hasSize(1);
  }

  @Test
  void execute_policyRetry_callsAgainWithTheSameKey() {
    ToolNodeExecutor ex = executor("retry");
    TestSupport.MemoryJournal j = crashed(ex);

    assertThat(ex.execute(input(null), context(j))).isInstanceOf(NodeOutcome.Completed.class);
    assertThat(keys).containsExactly("run-1:send#0:0", "run-1:send#0:0");
  }

  @Test
  void execute_policyFail_failsWithoutRetry() {
    ToolNodeExecutor ex = executor("fail");
    TestSupport.MemoryJournal j = crashed(ex);

    assertThat(ex.execute(input(null), context(j)))
        .isInstanceOfSatisfying(NodeOutcome.Failed.class, f -> assertThat(f.retryable()).isFalse());
    assertThat(keys).hasSize(1);
  }

  @Test
  void execute_personDecisionWinsOverPolicy() {
    ToolNodeExecutor ex = executor("fail");
    TestSupport.MemoryJournal j = crashed(ex);

    assertThat(ex.execute(input(TextNode.valueOf("skip")), context(j)))
        .isInstanceOf(NodeOutcome.Completed.class);
    assertThat(keys).hasSize(1);
  }
}
