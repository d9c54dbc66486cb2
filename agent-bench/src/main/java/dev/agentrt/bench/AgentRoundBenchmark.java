package dev.agentrt.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.llm.AgentNodeExecutor;
import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolPolicy;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Runtime overhead per LLM round: one run of a workflow whose agent makes {@value #ROUNDS} rounds
 * (a tool call each, then a final answer) against a zero-latency in-process model, with an
 * in-memory checkpoint store recording every LLM and tool call. Score / {@value #ROUNDS} = the cost
 * of one round (context assembly, tool specifications, request hashing, recording, the tool call
 * through the ToolBus), the model excluded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AgentRoundBenchmark {
  static final int ROUNDS = 10;

  private Path dir;
  private AgentRuntime runtime;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Workflows.newConfigDir();
    Files.createDirectories(dir.resolve("agents"));
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: memory}\nmodels:\n  fast:\n    provider: inprocess\n    model: zero\n");
    Files.writeString(
        dir.resolve("agents/worker.yml"),
        "name: worker\nmodel: fast\ntools: [noop]\n" + "max_tool_rounds: " + (ROUNDS + 1) + "\n");
    Workflows.write(
        dir,
        "agent",
        "id: agent\nnodes:\n  - {id: start, role: start}\n"
            + "  - {id: work, kind: agent, agent: worker}\n  - {id: done, role: exit}\n"
            + "edges:\n  - {from: start, to: work}\n  - {from: work, to: done}\n");
    ToolBus bus =
        ToolBus.builder()
            .discovery(false)
            .tool(new NoopTool())
            .policy(ToolPolicy.builder().workspace(dir).build())
            .build();
    runtime =
        AgentRuntime.builder()
            .configDir(dir)
            .checkpointStore(CheckpointStore.inMemory(16))
            .nodeExecutor(
                AgentNodeExecutor.builder()
                    .toolBus(bus)
                    .discovery(false)
                    .modelProvider(new InProcessProvider())
                    .configDir(dir)
                    .build())
            .build();
    RunResult r = runtime.run("agent", null);
    if (!r.isCompleted() || r.usage().llmCalls() != ROUNDS + 1) {
      throw new IllegalStateException(
          "unexpected run: " + r.status() + " " + r.message() + " " + r.usage());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runtime.close();
    Workflows.deleteRecursively(dir);
  }

  @Benchmark
  public RunResult run() {
    return runtime.run("agent", null);
  }

  /** A model that answers at once: a tool call for the first rounds, then a final answer. */
  static final class InProcessProvider implements ModelProvider {
    @Override
    public String name() {
      return "inprocess";
    }

    @Override
    public ChatModel create(ModelSetup setup) {
      return new ChatModel() {
        @Override
        public ChatResponse doChat(ChatRequest request) {
          int answered = 0;
          for (ChatMessage m : request.messages()) {
            if (m instanceof AiMessage) answered++;
          }
          AiMessage ai =
              answered < ROUNDS
                  ? AiMessage.from(
                      ToolExecutionRequest.builder()
                          .id("c" + answered)
                          .name("noop")
                          .arguments("{}")
                          .build())
                  : AiMessage.from("done");
          return ChatResponse.builder()
              .aiMessage(ai)
              .tokenUsage(new TokenUsage(10, 5))
              .finishReason(answered < ROUNDS ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
              .build();
        }
      };
    }
  }

  /** A tool that does nothing. */
  static final class NoopTool implements Tool {
    @Override
    public ToolDescriptor descriptor() {
      return new ToolDescriptor(
          "noop",
          "Does nothing.",
          JsonNodeFactory.instance.objectNode().put("type", "object"),
          Set.of(),
          Effect.NONE);
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      return ToolResult.success(TextNode.valueOf("ok"));
    }
  }
}
