package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.ModelSpec;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One model an agent's call may go to: the agent's own model first, then its {@code fallback:}
 * chain ({@link ModelGuards#chain}).
 *
 * @param key the model's key in {@code models:} (or the name it was registered with)
 * @param spec its entry
 * @param model creates (once) or returns its chat model; may throw {@link IllegalArgumentException}
 *     naming a missing setting
 * @param streaming its streaming model, or null when the agent does not stream or the model cannot
 * @param breaker its circuit breaker, or null when it has none
 * @param limiter its rate limiter, or null when it has none
 * @param slots its {@code max_concurrency} slots ({@link ModelGuards#slots}), or null when it has
 *     no limit
 */
public record ModelCandidate(
    String key,
    ModelSpec spec,
    Supplier<ChatModel> model,
    Supplier<@Nullable StreamingChatModel> streaming,
    @Nullable CircuitBreaker breaker,
    @Nullable RateLimiter limiter,
    @Nullable Semaphore slots) {
  public ModelCandidate {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(streaming, "streaming");
  }

  /** {@code provider model}, or the provider alone, for messages. */
  String label() {
    return spec.model() == null ? spec.provider() : spec.provider() + " " + spec.model();
  }
}
