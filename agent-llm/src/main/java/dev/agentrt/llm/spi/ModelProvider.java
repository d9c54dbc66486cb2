package dev.agentrt.llm.spi;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;

/**
 * Builds chat models for one {@code provider:} of {@code config.yml}'s {@code models:} ({@code
 * openai}, {@code anthropic}, {@code ollama}, {@code scripted}, or one of your own). Discovered
 * with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/dev.agentrt.llm.spi.ModelProvider}. Two providers with the same {@link #name()}
 * are an error naming both classes.
 *
 * <p><b>Threading:</b> {@link #create} may be called from several threads; the returned model is
 * called concurrently by every agent step that uses it and must be thread-safe.
 *
 * <p><b>Secrets:</b> read the credential from {@link ModelSetup#spec()}{@code .apiKey()} only, and
 * never put it into an exception message or a log line.
 *
 * @since 0.1
 */
public interface ModelProvider {

  /** The name written in {@code provider:}; lower case. */
  String name();

  /**
   * Creates the model of one {@code models:} entry. Called at most once per entry and runtime, on
   * the first step that uses the model.
   *
   * @throws IllegalArgumentException if the entry lacks a setting the provider needs; the message
   *     names the setting ({@code models.<name>.<key>}) and how to fix it
   */
  ChatModel create(ModelSetup setup);

  /**
   * Creates the streaming model of one {@code models:} entry, for agents with {@code stream: true}.
   * Called at most once per entry and runtime, on the first streaming step that uses the model. The
   * default throws {@link UnsupportedOperationException}: such agents then use {@link #create} and
   * their answers are not streamed.
   *
   * @throws IllegalArgumentException if the entry lacks a setting the provider needs
   * @throws UnsupportedOperationException if the provider cannot stream
   * @since 0.1
   */
  default StreamingChatModel createStreaming(ModelSetup setup) {
    throw new UnsupportedOperationException("provider '" + name() + "' does not stream");
  }

  /**
   * Checks a {@code models:} entry at load time. The default finds nothing wrong.
   *
   * @return what is wrong, each naming the setting concerned, empty if nothing is
   */
  default java.util.List<String> validate(ModelSetup setup) {
    return java.util.List.of();
  }

  /**
   * Counts tokens for the model of one {@code models:} entry, for agents with a {@code
   * context_profile:}. The default is {@link TokenCounter#forModel} with the entry's {@code model:}
   * (exact for OpenAI models, an estimate for others); a provider that knows its model's tokenizer
   * returns its own. Called at most once per entry and runtime.
   *
   * @since 0.1
   */
  default TokenCounter tokenCounter(ModelSetup setup) {
    return TokenCounter.forModel(setup.spec().model());
  }
}
