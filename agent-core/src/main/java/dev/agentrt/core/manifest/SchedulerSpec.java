package dev.agentrt.core.manifest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code scheduler:} section of {@code config.yml}: how many runs execute at once, how many
 * wait, and what a caller meets when the queue is full. Without the section runs start at once and
 * branches fan out without limit.
 *
 * @param maxConcurrency runs executing at once in this runtime; absent: no limit
 * @param maxQueueSize runs waiting for a slot at once (queued in the store, or callers of {@code
 *     run} blocked); default {@link #DEFAULT_MAX_QUEUE_SIZE}
 * @param onFull {@code reject} (default: {@code QueueFullException}) or {@code block} (the caller
 *     waits for room in the queue)
 * @param maxParallelBranches branches and split items of one run executing at once; absent: no
 *     limit
 * @since 0.1
 */
public record SchedulerSpec(
    @Nullable @Min(1) @Max(100_000) Integer maxConcurrency,
    @Nullable @Min(0) @Max(10_000_000) Integer maxQueueSize,
    @Nullable @Pattern(regexp = "reject|block", message = "must be 'reject' or 'block'")
        String onFull,
    @Nullable @Min(1) @Max(100_000) Integer maxParallelBranches) {

  /** The queue's size when {@code max_queue_size} is absent. */
  public static final int DEFAULT_MAX_QUEUE_SIZE = 10_000;

  /** {@code max_queue_size}, or its default. */
  public int maxQueueSizeOrDefault() {
    return maxQueueSize == null ? DEFAULT_MAX_QUEUE_SIZE : maxQueueSize;
  }

  /** Whether a caller meeting a full queue waits ({@code on_full: block}). */
  public boolean blocksWhenFull() {
    return "block".equals(onFull);
  }
}
