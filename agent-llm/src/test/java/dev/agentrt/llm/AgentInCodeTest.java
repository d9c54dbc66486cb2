package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentrt.core.Agent;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.Workflow;
import dev.agentrt.core.Workflow.Node;
import dev.agentrt.core.manifest.ModelSpec;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * An agent and its workflow built entirely in Java, on a {@code ChatModel} instance the application
 * configured: no configuration directory, an inline prompt, and an answer typed by a record.
 */
class AgentInCodeTest {
  record Review(String verdict, List<String> notes, @Nullable String summary) {}

  /** The application's own model: answers with a review and keeps the requests it was sent. */
  static final class AppModel implements ChatModel {
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse doChat(ChatRequest request) {
      requests.add(request);
      return ChatResponse.builder()
          .aiMessage(AiMessage.from("{\"verdict\":\"approve\",\"notes\":[\"small change\"]}"))
          .tokenUsage(new TokenUsage(1_000, 200))
          .build();
    }
  }

  @Test
  void agentInCode_runsOnARegisteredModel_andAnswersAsTheRecord() {
    AppModel model = new AppModel();
    Agent reviewer =
        Agent.builder("reviewer")
            .model("default")
            .prompt("You review {{input.title}}.")
            .outputType(Review.class)
            .build();
    Workflow review =
        Workflow.builder("review")
            .node(Node.start("start"))
            .node(Node.agent("review", "reviewer"))
            .node(Node.exit("done").output("{{review}}"))
            .edge("start", "review")
            .edge("review", "done")
            .build();

    try (AgentRuntime rt =
        AgentRuntime.builder().model("default", model).agent(reviewer).workflow(review).build()) {
      RunResult r = rt.run("review", Map.of("title", "Faster startup"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.outputAs(Review.class))
          .isEqualTo(new Review("approve", List.of("small change"), null));
      List<ChatMessage> sent = model.requests.get(0).messages();
      assertThat(sent.get(0)).isInstanceOf(SystemMessage.class);
      assertThat(((SystemMessage) sent.get(0)).text()).startsWith("You review Faster startup.");
      assertThat(rt.manifests().agents().get("reviewer").output().schema().get("required"))
          .hasToString("[\"verdict\",\"notes\"]");
    }
  }

  @Test
  void registeredModelWithPricing_costsEachCall_andACostBudgetStopsTheRun() {
    Agent reviewer =
        Agent.builder("reviewer")
            .model("default")
            .prompt("Review it.")
            .outputType(Review.class)
            .build();
    Workflow review =
        Workflow.builder("review")
            .budget(BudgetLimits.builder().maxCostUsd(0.001).build())
            .node(Node.start("start"))
            .node(Node.agent("first", "reviewer"))
            .node(Node.agent("second", "reviewer"))
            .node(Node.agent("third", "reviewer"))
            .node(Node.exit("done"))
            .edge("start", "first")
            .edge("first", "second")
            .edge("second", "third")
            .edge("third", "done")
            .build();

    try (AgentRuntime rt =
        AgentRuntime.builder()
            .model("default", new AppModel(), new ModelSpec.PricingSpec(0.5, 2.0))
            .agent(reviewer)
            .workflow(review)
            .build()) {
      RunResult r = rt.run("review", Map.of());

      // each call: 1,000 × $0.5 + 200 × $2 per million tokens = $0.0009; after the second the run
      // has spent more than $0.001, so the third call is not made
      assertThat(r.usage().costUsd()).isEqualTo(0.0018, within(1e-12));
      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.reason()).isEqualTo(FailureReason.BUDGET_EXCEEDED);
      assertThat(r.message()).contains("max_cost_usd");
    }
  }
}
