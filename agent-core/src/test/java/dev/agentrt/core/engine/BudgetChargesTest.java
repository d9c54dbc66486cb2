package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.Budget;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's budget as executors see it ({@link Budget}): each check refuses the call that would go
 * over its limit, with a message naming the limit and the amount used, and the run stops with
 * {@link FailureReason#BUDGET_EXCEEDED}.
 */
class BudgetChargesTest {
  @TempDir Path dir;

  private static String workflow(String budget) {
    return """
        id: spend
        budget: %s
        nodes:
          - {id: start, role: start}
          - {id: a, kind: function, function: spend}
          - {id: b, kind: function, function: spend}
          - {id: done, role: exit}
        edges:
          - {from: start, to: a}
          - {from: a, to: b}
          - {from: b, to: done}
        """
        .formatted(budget);
  }

  /** Runs the workflow with {@code spend} doing {@code work} to the budget in each of a and b. */
  private RunResult run(String budget, Consumer<Budget> work, AtomicReference<BudgetUsage> seen) {
    try (AgentRuntime rt =
        runtime(dir, workflow(budget))
            .function(
                "spend",
                (in, ctx) -> {
                  work.accept(ctx.budget());
                  seen.set(ctx.budget().used());
                  return IntNode.valueOf(1);
                })
            .build()) {
      return rt.run("spend", Map.of());
    }
  }

  @Test
  void llmCalls_theCallOverTheLimitIsRefused() {
    AtomicReference<BudgetUsage> seen = new AtomicReference<>();
    RunResult r =
        run(
            "{max_llm_calls: 1}",
            b -> {
              b.checkLlmCall();
              b.chargeLlmCall(10, 5, 0.01);
            },
            seen);

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains("budget max_llm_calls exceeded: 1 LLM calls made (max_llm_calls: 1)");
    assertThat(seen.get().llmCalls()).isEqualTo(1);
    assertThat(seen.get().inputTokens()).isEqualTo(10);
    assertThat(seen.get().outputTokens()).isEqualTo(5);
  }

  @Test
  void tokens_aCallIsRefusedOnceTheTokensAreSpent() {
    RunResult r =
        run(
            "{max_tokens: 15}",
            b -> {
              b.checkLlmCall();
              b.chargeLlmCall(10, 5, 0);
            },
            new AtomicReference<>());

    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message()).contains("budget max_tokens exceeded: 15 tokens used (max_tokens: 15)");
  }

  @Test
  void cost_aCallIsRefusedOnceTheMoneyIsSpent() {
    RunResult r =
        run(
            "{max_cost_usd: 0.5}",
            b -> {
              b.checkLlmCall();
              b.chargeLlmCall(1, 1, 0.5);
            },
            new AtomicReference<>());

    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains("budget max_cost_usd exceeded: $0.5 spent (max_cost_usd: 0.5)");
  }

  @Test
  void toolCalls_theCallOverTheLimitIsRefused() {
    AtomicReference<BudgetUsage> seen = new AtomicReference<>();
    RunResult r =
        run(
            "{max_tool_calls: 1}",
            b -> {
              b.checkToolCall();
              b.chargeToolCall();
            },
            seen);

    assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
    assertThat(r.message())
        .contains("budget max_tool_calls exceeded: 1 tool calls made (max_tool_calls: 1)");
    assertThat(seen.get().toolCalls()).isEqualTo(1);
  }

  @Test
  void withinTheLimits_theRunCompletes_andTheUsageAddsUp() {
    AtomicReference<BudgetUsage> seen = new AtomicReference<>();
    RunResult r =
        run(
            "{max_llm_calls: 2, max_tool_calls: 2, max_tokens: 100, max_cost_usd: 1}",
            b -> {
              b.checkLlmCall();
              b.chargeLlmCall(20, 10, 0.25);
              b.checkToolCall();
              b.chargeToolCall();
            },
            seen);

    assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(seen.get().llmCalls()).isEqualTo(2);
    assertThat(seen.get().toolCalls()).isEqualTo(2);
    assertThat(seen.get().inputTokens() + seen.get().outputTokens()).isEqualTo(60);
    assertThat(seen.get().costUsd()).isEqualTo(0.5);
  }
}
