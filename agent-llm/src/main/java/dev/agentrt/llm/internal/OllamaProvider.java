package dev.agentrt.llm.internal;

import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;

/**
 * {@code provider: ollama}: a local Ollama server ({@code base_url}, default
 * http://localhost:11434).
 */
public final class OllamaProvider implements ModelProvider {
  static final String DEFAULT_BASE_URL = "http://localhost:11434";

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public ChatModel create(ModelSetup s) {
    String baseUrl =
        s.spec().baseUrl() == null || s.spec().baseUrl().isBlank()
            ? DEFAULT_BASE_URL
            : s.spec().baseUrl();
    OllamaChatModel.OllamaChatModelBuilder b =
        OllamaChatModel.builder()
            .maxRetries(
                0) // AgentLoop retries, one log line of ours per retry (LangChain4j's logs the
            // whole exception)
            .logRequests(false)
            .logResponses(false);
    b.baseUrl(baseUrl);
    b.modelName(Providers.modelName(s));
    b.temperature(s.temperatureOrZero());
    b.timeout(Providers.timeout(s));
    Integer seed = Providers.seed(s);
    if (seed != null) b.seed(seed);
    return WireNames.wrap(b.build());
  }

  @Override
  public StreamingChatModel createStreaming(ModelSetup s) {
    String baseUrl =
        s.spec().baseUrl() == null || s.spec().baseUrl().isBlank()
            ? DEFAULT_BASE_URL
            : s.spec().baseUrl();
    OllamaStreamingChatModel.OllamaStreamingChatModelBuilder b =
        OllamaStreamingChatModel.builder().logRequests(false).logResponses(false);
    b.baseUrl(baseUrl);
    b.modelName(Providers.modelName(s));
    b.temperature(s.temperatureOrZero());
    b.timeout(Providers.timeout(s));
    Integer seed = Providers.seed(s);
    if (seed != null) b.seed(seed);
    return WireNames.wrap(b.build());
  }
}
