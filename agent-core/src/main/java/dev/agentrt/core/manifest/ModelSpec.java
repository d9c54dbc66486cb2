package dev.agentrt.core.manifest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
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
 * @param fallback other entries of {@code models:} (or models registered on the runtime builder)
 *     tried in order when this model fails with a retryable error after its retries, or when its
 *     circuit breaker is open or its rate limit is reached
 * @param circuitBreaker a circuit breaker over this model's calls; none when absent
 * @param rateLimit a limit on this model's calls; none when absent
 * @param maxConcurrency calls to this model in flight at once across the runtime's runs (others
 *     wait for a free slot); no limit when absent
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
    @Nullable @PositiveOrZero Integer maxRetries,
    @Nullable List<@NotBlank String> fallback,
    @Nullable @Valid CircuitBreakerSpec circuitBreaker,
    @Nullable @Valid RateLimitSpec rateLimit,
    @Nullable @Min(1) @Max(100_000) Integer maxConcurrency) {

  /**
   * This entry with {@code pricing} instead of its own.
   *
   * @since 0.1
   */
  public ModelSpec withPricing(@Nullable PricingSpec pricing) {
    return new ModelSpec(
        provider,
        model,
        apiKey,
        baseUrl,
        pricing,
        script,
        temperature,
        seed,
        timeout,
        maxRetries,
        fallback,
        circuitBreaker,
        rateLimit,
        maxConcurrency);
  }

  /** The fallback models, in order; empty when none. */
  public List<String> fallbackOrEmpty() {
    return fallback == null ? List.of() : fallback;
  }

  /** The providers' seeds are 32-bit. */
  static final String SEED_RANGE = "must be a 32-bit integer, between -2147483648 and 2147483647";

  /**
   * Prices per million tokens, in US dollars.
   *
   * @since 0.1
   */
  public record PricingSpec(
      @PositiveOrZero double inputPerMtok, @PositiveOrZero double outputPerMtok) {}

  /**
   * A count-based circuit breaker: once {@code failureRate} percent of the last {@code window}
   * calls failed with a retryable error, the circuit opens and the model is not called for {@code
   * openFor}; then one trial call decides whether it closes again.
   *
   * @param failureRate the percentage of failed calls that opens the circuit (1–100; default
   *     {@value #DEFAULT_FAILURE_RATE})
   * @param window how many of the latest calls are counted; the circuit can open only once that
   *     many were made (default {@value #DEFAULT_WINDOW})
   * @param openFor how long an open circuit refuses calls (default 30 s)
   * @since 0.1
   */
  public record CircuitBreakerSpec(
      @Nullable @Min(1) @Max(100) Integer failureRate,
      @Nullable @Min(1) @Max(10_000) Integer window,
      @Nullable Duration openFor) {
    /** The default {@code failure_rate}. */
    public static final int DEFAULT_FAILURE_RATE = 50;

    /** The default {@code window}. */
    public static final int DEFAULT_WINDOW = 20;

    /** The default {@code open_for}. */
    public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);

    /** {@code failure_rate}, or its default. */
    public int failureRateOrDefault() {
      return failureRate == null ? DEFAULT_FAILURE_RATE : failureRate;
    }

    /** {@code window}, or its default. */
    public int windowOrDefault() {
      return window == null ? DEFAULT_WINDOW : window;
    }

    /** {@code open_for}, or its default. */
    public Duration openForOrDefault() {
      return openFor == null ? DEFAULT_OPEN_FOR : openFor;
    }
  }

  /**
   * A limit on the calls this runtime starts to a model: at most {@code calls} in each period of
   * {@code per}.
   *
   * @param calls the most calls started in one period
   * @param per the period (default 1 s), such as {@code 1m} for a provider's requests-per-minute
   *     limit
   * @since 0.1
   */
  public record RateLimitSpec(
      @NotNull @Min(1) @Max(1_000_000) Integer calls, @Nullable Duration per) {
    /** The default {@code per}. */
    public static final Duration DEFAULT_PER = Duration.ofSeconds(1);

    /** {@code per}, or its default. */
    public Duration perOrDefault() {
      return per == null ? DEFAULT_PER : per;
    }
  }
}
