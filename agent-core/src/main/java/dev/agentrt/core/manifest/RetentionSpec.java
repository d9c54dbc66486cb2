package dev.agentrt.core.manifest;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code checkpoint.retention:}: which finished runs (completed, failed, cancelled) the runtime
 * deletes in the background. Queued, running and waiting runs are never deleted.
 *
 * @param keepLast keep at most this many runs, newest first; older finished runs are deleted
 * @param maxAge delete finished runs whose status last changed longer ago than this
 * @param every how often to apply the rules; default {@link #DEFAULT_EVERY}
 * @since 0.1
 */
public record RetentionSpec(
    @Nullable @Min(0) Integer keepLast, @Nullable Duration maxAge, @Nullable Duration every) {

  /** How often retention runs when {@code every} is absent. */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

  /** {@code every}, or its default. */
  public Duration everyOrDefault() {
    return every == null ? DEFAULT_EVERY : every;
  }
}
