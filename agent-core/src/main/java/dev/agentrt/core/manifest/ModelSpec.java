package dev.agentrt.core.manifest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code models:} in {@code config.yml}.
 *
 * @param provider {@code openai}, {@code anthropic}, {@code ollama}, {@code scripted}, or a
 *     provider discovered by agent-llm
 * @param model the provider's model name
 * @param apiKey the credential, from {@code ${env:...}} or {@code ${file:...}} only
 * @param baseUrl the endpoint, for OpenAI-compatible servers and Ollama
 * @param pricing prices used for cost accounting
 * @param script the conversation file of a {@code scripted} model, relative to {@code .agent/}
 * @param temperature sampling temperature (0 when absent)
 * @param seed a seed, passed where the provider supports one; a 32-bit integer
 * @param timeout the time limit of one call
 * @param maxRetries retries of a failed call
 * @since 0.1
 */
public record ModelSpec(
    @NotBlank String provider,
    @Nullable String model,
    @Nullable Secret apiKey,
    @Nullable String baseUrl,
    @Nullable @Valid PricingSpec pricing,
    @Nullable String script,
    @Nullable @DecimalMin("0") @DecimalMax("2") Double temperature,
    @Nullable
        @Min(value = Integer.MIN_VALUE, message = SEED_RANGE)
        @Max(value = Integer.MAX_VALUE, message = SEED_RANGE)
        Long seed,
    @Nullable Duration timeout,
    @Nullable @PositiveOrZero Integer maxRetries) {

  /** The providers' seeds are 32-bit. */
  static final String SEED_RANGE = "must be a 32-bit integer, between -2147483648 and 2147483647";

  /**
   * Prices per million tokens, in US dollars.
   *
   * @since 0.1
   */
  public record PricingSpec(
      @PositiveOrZero double inputPerMtok, @PositiveOrZero double outputPerMtok) {}
}
