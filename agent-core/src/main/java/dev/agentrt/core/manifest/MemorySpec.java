package dev.agentrt.core.manifest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code memory:} section of {@code config.yml}: where each scope of memory is kept and how
 * long. Every scope is optional.
 *
 * <pre>{@code
 * memory:
 *   task:    {backend: sqlite, retention: {max_items: 1000}}
 *   project: {backend: sqlite, retention: {max_items: 5000, max_age: 90d}}
 *   global:  {backend: jsonl, path: var/agentrt/memory, retention: {max_items: 10000}}
 * }</pre>
 *
 * @param task what one run (and its sub-workflows) remembers
 * @param project what the runs of this configuration directory share
 * @param global what every run of the installation shares
 * @since 0.1
 */
public record MemorySpec(
    @Nullable @Valid ScopeSpec task,
    @Nullable @Valid ScopeSpec project,
    @Nullable @Valid ScopeSpec global) {

  /** The form of a backend's name. */
  public static final String BACKEND_NAME = "[a-z][a-z0-9_-]*";

  /**
   * One scope of {@code memory:}.
   *
   * @param backend the backend's name: {@code sqlite} or {@code jsonl} (agent-memory), or the name
   *     of a backend registered on the runtime's builder or discovered; absent: {@code sqlite}
   * @param path the database file ({@code sqlite}) or directory ({@code jsonl}), relative to the
   *     working directory; absent: the backend's default (for {@code sqlite} the runs database, for
   *     {@code jsonl} {@code var/agentrt/memory})
   * @param retention what is deleted, and when
   * @since 0.1
   */
  public record ScopeSpec(
      @Nullable
          @Pattern(
              regexp = BACKEND_NAME,
              message = "must be a backend name such as 'sqlite' or 'jsonl'")
          String backend,
      @Nullable
          @Pattern(
              regexp = ".*\\S.*",
              message = "must not be blank (leave it out for the backend's default)")
          String path,
      @Nullable @Valid RetentionSpec retention) {}

  /**
   * How long a scope keeps its items: the oldest are deleted when a write goes over {@code
   * max_items}, and items older than {@code max_age} are deleted when pruning.
   *
   * @param maxItems the most items kept, at least 1; absent: no limit
   * @param maxAge the oldest item kept, a positive duration ({@code 90d}, {@code 12h}); absent: no
   *     limit
   * @since 0.1
   */
  public record RetentionSpec(@Nullable @Positive Long maxItems, @Nullable Duration maxAge) {}
}
