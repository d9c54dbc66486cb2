package dev.agentrt.llm.internal;

import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/** {@code provider: openai}: OpenAI, or any OpenAI-compatible server through {@code base_url}. */
public final class OpenAiProvider implements ModelProvider {
  @Override
  public String name() {
    return "openai";
  }

  @Override
  public ChatModel create(ModelSetup s) {
    OpenAiChatModel.OpenAiChatModelBuilder b =
        OpenAiChatModel.builder()
            .apiKey(Providers.apiKey(s, "OPENAI_API_KEY"))
            .modelName(Providers.modelName(s))
            .temperature(s.temperatureOrZero())
            .timeout(Providers.timeout(s))
            .maxRetries(
                0) // AgentLoop retries, one log line of ours per retry (LangChain4j's logs the
            // whole exception)
            .logRequests(false)
            .logResponses(false);
    if (s.spec().baseUrl() != null && !s.spec().baseUrl().isBlank()) b.baseUrl(s.spec().baseUrl());
    Integer seed = Providers.seed(s);
    if (seed != null) b.seed(seed);
    return WireNames.wrap(b.build());
  }

  /**
   * Streams with {@code stream_options.include_usage}, so usage is charged as without streaming.
   */
  @Override
  public StreamingChatModel createStreaming(ModelSetup s) {
    OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder b =
        OpenAiStreamingChatModel.builder()
            .apiKey(Providers.apiKey(s, "OPENAI_API_KEY"))
            .modelName(Providers.modelName(s))
            .temperature(s.temperatureOrZero())
            .timeout(Providers.timeout(s))
            .logRequests(false)
            .logResponses(false);
    if (s.spec().baseUrl() != null && !s.spec().baseUrl().isBlank()) b.baseUrl(s.spec().baseUrl());
    Integer seed = Providers.seed(s);
    if (seed != null) b.seed(seed);
    return WireNames.wrap(b.build());
  }
}
