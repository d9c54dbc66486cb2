package dev.agentrt.llm.internal;

import dev.agentrt.core.spi.ExecutorSetup;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeExecutorProvider;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.llm.AgentNodeExecutor;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Provides node kind {@code agent}: discovered model providers, and the runtime's one tool bus
 * ({@link ExecutorSetup#toolBus()}). A policy that cannot be used gives an executor that reports
 * each problem at its key of config.yml when the configuration loads, instead of an exception.
 * Without agent-tools on the classpath an agent with {@code tools:} fails validation naming it. The
 * runtime's registered models ({@link ExecutorSetup#models()}) are given to the executor; one that
 * is neither a {@code ChatModel} nor a {@code StreamingChatModel} is a problem naming it.
 */
public final class AgentNodeExecutorProvider implements NodeExecutorProvider {
  @Override
  public String kind() {
    return AgentNodeKeys.KIND;
  }

  @Override
  public NodeKeys nodeKeys() {
    return AgentNodeKeys.KEYS;
  }

  @Override
  public NodeExecutor create(ExecutorSetup setup) {
    List<NodeProblem> problems = setup.toolBusProblems();
    if (!problems.isEmpty()) return NodeExecutor.unusable(AgentNodeKeys.KIND, problems);
    AgentNodeExecutor.Builder b =
        AgentNodeExecutor.builder()
            .toolBus(setup.toolBus())
            .openTelemetry(setup.openTelemetry())
            .clock(setup.clock())
            .configDir(setup.configDir())
            .memory(setup.memory());
    setup.modelPricing().forEach(b::pricing);
    List<NodeProblem> wrong = new ArrayList<>();
    setup
        .models()
        .forEach(
            (name, model) -> {
              if (model instanceof ChatModel c) b.model(name, c);
              if (model instanceof StreamingChatModel s) b.streamingModel(name, s);
              if (!(model instanceof ChatModel) && !(model instanceof StreamingChatModel)) {
                wrong.add(
                    new NodeProblem(
                        "agent",
                        "model '"
                            + name
                            + "': "
                            + model.getClass().getName()
                            + " is not a ChatModel or StreamingChatModel (register a LangChain4j"
                            + " model with AgentRuntime.builder().model(...))"));
              }
            });
    if (!wrong.isEmpty()) return NodeExecutor.unusable(AgentNodeKeys.KIND, wrong);
    return b.build();
  }
}
