package dev.agentrt.core.spi;

import dev.agentrt.core.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Selects runs in {@link CheckpointStore#list(RunQuery)}: every criterion set must match. Newest
 * runs first.
 *
 * @since 0.1
 */
public final class RunQuery {
  private final @Nullable String workflowId;
  private final @Nullable RunStatus status;
  private final @Nullable Instant since;
  private final int limit;
  private final Map<String, String> labels;

  private RunQuery(Builder b) {
    this.workflowId = b.workflowId;
    this.status = b.status;
    this.since = b.since;
    this.limit = b.limit;
    this.labels = Map.copyOf(b.labels);
  }

  /** Every run, newest first, at most 100. */
  public static RunQuery all() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> workflowId() {
    return Optional.ofNullable(workflowId);
  }

  public Optional<RunStatus> status() {
    return Optional.ofNullable(status);
  }

  /** Only runs created at or after this instant. */
  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** The most runs to return. */
  public int limit() {
    return limit;
  }

  /** Only runs having every one of these labels, with these values; empty: any run. */
  public Map<String, String> labels() {
    return labels;
  }

  /** Whether {@code run} matches every criterion but the limit. */
  public boolean matches(RunRecord run) {
    return (workflowId == null || workflowId.equals(run.workflowId()))
        && (status == null || status == run.status())
        && (since == null || !run.createdAt().isBefore(since))
        && run.labels().entrySet().containsAll(labels.entrySet());
  }

  /** Builds a {@link RunQuery}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String workflowId;
    private @Nullable RunStatus status;
    private @Nullable Instant since;
    private int limit = 100;
    private final Map<String, String> labels = new LinkedHashMap<>();

    private Builder() {}

    public Builder workflowId(String workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    public Builder status(RunStatus status) {
      this.status = status;
      return this;
    }

    /** Only runs labelled {@code key=value} (given with {@code RunOptions.label}); repeatable. */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder since(Instant since) {
      this.since = since;
      return this;
    }

    public Builder limit(int limit) {
      if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
      this.limit = limit;
      return this;
    }

    public RunQuery build() {
      return new RunQuery(this);
    }
  }
}
