package dev.agentrt.llm.spi;

import dev.agentrt.core.Experimental;
import dev.agentrt.llm.internal.Tokenizers;
import org.jspecify.annotations.Nullable;

/**
 * Counts the tokens of a text as a model would, so that a context profile's {@code max_tokens}
 * holds. A {@link ModelProvider} supplies one per model ({@link ModelProvider#tokenCounter}); the
 * default is {@link #forModel}.
 *
 * <p>Implementations are thread-safe and deterministic: the same text always gives the same count
 * (a resumed step must cut its prompt exactly as the first execution did).
 *
 * @since 0.1
 */
@Experimental
public interface TokenCounter {

  /** How many tokens {@code text} is. */
  int count(String text);

  /**
   * The name of the tokenization, recorded with each LLM call whose prompt was fitted to a budget
   * ({@code o200k_base}, {@code cl100k_base}, or a provider's own name).
   */
  String encoding();

  /**
   * An exact count for OpenAI models and an estimate for others (jtokkit): {@code o200k_base} for
   * the GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and o-series families, {@code cl100k_base} for GPT-4 and
   * GPT-3.5, and {@code cl100k_base} as an estimate for any other model (Anthropic, Ollama,
   * scripted, an unnamed model). Estimates for other vendors' models are typically within 10–20% of
   * their own counts; supply an exact counter through {@link ModelProvider#tokenCounter} where it
   * matters.
   *
   * @param model the model name ({@code models.<name>.model}), or null when the entry names none
   */
  static TokenCounter forModel(@Nullable String model) {
    return Tokenizers.forModel(model);
  }
}
