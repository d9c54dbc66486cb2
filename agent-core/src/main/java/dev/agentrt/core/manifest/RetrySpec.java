package dev.agentrt.core.manifest;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A node's {@code retry:}: a failed attempt is retried up to {@code max_attempts} attempts in all,
 * waiting {@code backoff} before the second, then {@code multiplier} times longer each time, at
 * most {@code max_backoff}.
 *
 * @since 0.1
 */
public record RetrySpec(
    @Min(value = 1, message = "must be at least 1") @Max(100) int maxAttempts,
    @Nullable Duration backoff,
    @Nullable @DecimalMin("1.0") Double multiplier,
    @Nullable Duration maxBackoff) {

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed (1-based). */
  public Duration backoffAfter(int attempt) {
    if (backoff == null || backoff.isZero() || backoff.isNegative()) return Duration.ZERO;
    double factor = Math.pow(multiplier == null ? 2.0 : multiplier, Math.max(0, attempt - 1));
    long nanos = (long) Math.min(Long.MAX_VALUE / 2.0, backoff.toNanos() * factor);
    Duration d = Duration.ofNanos(nanos);
    return maxBackoff != null && d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
