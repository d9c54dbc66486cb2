package dev.agentrt.llm.internal;

import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;

/** {@code provider: anthropic}. The Anthropic API takes no seed; {@code seed:} is ignored. */
public final class AnthropicProvider implements ModelProvider {
  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public ChatModel create(ModelSetup s) {
    AnthropicChatModel.AnthropicChatModelBuilder b =
        AnthropicChatModel.builder()
            .apiKey(Providers.apiKey(s, "ANTHROPIC_API_KEY"))
            .modelName(Providers.modelName(s))
            .temperature(s.temperatureOrZero())
            .timeout(Providers.timeout(s))
            .maxRetries(
                0) // AgentLoop retries, one log line of ours per retry (LangChain4j's logs the
            // whole exception)
            .logRequests(false)
            .logResponses(false);
    if (s.spec().baseUrl() != null && !s.spec().baseUrl().isBlank()) b.baseUrl(s.spec().baseUrl());
    return WireNames.wrap(b.build());
  }

  @Override
  public StreamingChatModel createStreaming(ModelSetup s) {
    AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder b =
        AnthropicStreamingChatModel.builder()
            .apiKey(Providers.apiKey(s, "ANTHROPIC_API_KEY"))
            .modelName(Providers.modelName(s))
            .temperature(s.temperatureOrZero())
            .timeout(Providers.timeout(s))
            .logRequests(false)
            .logResponses(false);
    if (s.spec().baseUrl() != null && !s.spec().baseUrl().isBlank()) b.baseUrl(s.spec().baseUrl());
    return WireNames.wrap(b.build());
  }
}
