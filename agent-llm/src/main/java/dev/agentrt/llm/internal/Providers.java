package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.llm.spi.ModelSetup;
import java.time.Duration;

/** Settings shared by the HTTP providers. */
final class Providers {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  static final int DEFAULT_MAX_RETRIES = 2;

  private Providers() {}

  static String apiKey(ModelSetup s, String envHint) {
    ModelSpec spec = s.spec();
    if (spec.apiKey() == null || spec.apiKey().isEmpty()) {
      throw new IllegalArgumentException(
          "models."
              + s.name()
              + ".api_key: not set (provider '"
              + spec.provider()
              + "' needs a key: api_key: ${env:"
              + envHint
              + "})");
    }
    return spec.apiKey().reveal();
  }

  static String modelName(ModelSetup s) {
    if (s.spec().model() == null || s.spec().model().isBlank()) {
      throw new IllegalArgumentException(
          "models."
              + s.name()
              + ".model: not set (name the provider's model, for example"
              + " model: gpt-4.1-mini)");
    }
    return s.spec().model();
  }

  static Duration timeout(ModelSetup s) {
    return timeout(s.spec());
  }

  static Duration timeout(ModelSpec spec) {
    return spec.timeout() == null ? DEFAULT_TIMEOUT : spec.timeout();
  }

  /**
   * {@code max_retries}: further attempts of one model call after a retryable failure (AgentLoop
   * makes them).
   */
  static int maxRetries(ModelSpec spec) {
    return spec.maxRetries() == null ? DEFAULT_MAX_RETRIES : Math.max(0, spec.maxRetries());
  }

  static Integer seed(ModelSetup s) {
    Long seed = s.spec().seed();
    if (seed == null) return null;
    if (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "models." + s.name() + ".seed: " + seed + " is out of range (use a 32-bit integer)");
    }
    return seed.intValue();
  }
}
