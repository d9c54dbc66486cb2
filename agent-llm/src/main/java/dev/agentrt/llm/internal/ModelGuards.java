package dev.agentrt.llm.internal;

import dev.agentrt.core.manifest.ModelSpec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breakers, rate limiters and concurrency slots of the models of one executor, one of
 * each per model key (shared by every run and agent that calls the model), on the runtime's clock;
 * and the order in which a call tries a model's fallbacks. Thread-safe.
 */
public final class ModelGuards {
  private final Clock clock;
  private final Map<String, Guard<CircuitBreaker>> breakers = new ConcurrentHashMap<>();
  private final Map<String, Guard<RateLimiter>> limiters = new ConcurrentHashMap<>();
  private final Map<String, Guard<Semaphore>> slots = new ConcurrentHashMap<>();

  private record Guard<T>(Object spec, T guard) {}

  /** Guards whose open circuits and rate-limit periods run on {@code clock}. */
  public ModelGuards(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@code key} followed by its fallbacks: each model's {@code fallback:} list in order, a
   * fallback's own list right after it (depth first), every model once. Names without an entry
   * ({@code specOf} returns null) are left out; the loader reports them.
   */
  public static List<String> chain(String key, Function<String, @Nullable ModelSpec> specOf) {
    Set<String> out = new LinkedHashSet<>();
    add(key, specOf, out);
    return new ArrayList<>(out);
  }

  private static void add(
      String key, Function<String, @Nullable ModelSpec> specOf, Set<String> out) {
    ModelSpec spec = specOf.apply(key);
    if (spec == null || !out.add(key)) return;
    for (String f : spec.fallbackOrEmpty()) add(f, specOf, out);
  }

  /**
   * The circuit breaker of {@code key}, or null when {@code spec} configures none; a changed
   * configuration (a reloaded runtime) gets a new one.
   */
  public @Nullable CircuitBreaker breaker(String key, ModelSpec spec) {
    ModelSpec.CircuitBreakerSpec c = spec.circuitBreaker();
    if (c == null) return null;
    return breakers
        .compute(
            key,
            (k, prev) ->
                prev != null && prev.spec().equals(c) ? prev : new Guard<>(c, newBreaker(k, c)))
        .guard();
  }

  /**
   * The rate limiter of {@code key}, or null when {@code spec} configures none. Its timeout is the
   * model's call timeout: the longest a call waits for a permit when no fallback is left.
   */
  public @Nullable RateLimiter limiter(String key, ModelSpec spec) {
    ModelSpec.RateLimitSpec r = spec.rateLimit();
    if (r == null) return null;
    Duration timeout = Providers.timeout(spec);
    List<Object> id = List.of(r, timeout);
    return limiters
        .compute(
            key,
            (k, prev) ->
                prev != null && prev.spec().equals(id)
                    ? prev
                    : new Guard<>(id, newLimiter(k, r, timeout)))
        .guard();
  }

  /**
   * The slots of {@code key}'s {@code max_concurrency} (a fair semaphore: calls in flight at once
   * across the runtime's runs), or null when {@code spec} sets no limit; a changed limit (a
   * reloaded runtime) gets new slots.
   */
  public @Nullable Semaphore slots(String key, ModelSpec spec) {
    Integer max = spec.maxConcurrency();
    if (max == null) return null;
    return slots
        .compute(
            key,
            (k, prev) ->
                prev != null && prev.spec().equals(max)
                    ? prev
                    : new Guard<>(max, new Semaphore(max, true)))
        .guard();
  }

  private CircuitBreaker newBreaker(String key, ModelSpec.CircuitBreakerSpec c) {
    int window = c.windowOrDefault();
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindow(window, window, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .failureRateThreshold(c.failureRateOrDefault())
            .waitDurationInOpenState(c.openForOrDefault())
            .permittedNumberOfCallsInHalfOpenState(1)
            .clock(clock)
            .writableStackTraceEnabled(false)
            .build();
    return CircuitBreaker.of(key, config);
  }

  private RateLimiter newLimiter(String key, ModelSpec.RateLimitSpec r, Duration timeout) {
    RateLimiterConfig config =
        RateLimiterConfig.custom()
            .limitForPeriod(r.calls())
            .limitRefreshPeriod(r.perOrDefault())
            .timeoutDuration(timeout)
            .writableStackTraceEnabled(false)
            .build();
    // the runtime's clock, so that tests decide when a second has passed
    return new AtomicRateLimiter(key, config, () -> clock.millis() * 1_000_000L);
  }
}
