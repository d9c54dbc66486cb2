package dev.agentrt.core;

import dev.agentrt.core.spi.RunListener;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How one run is started ({@link AgentRuntime#run(String, Object, RunOptions)}, {@link
 * AgentRuntime#start(String, Object, RunOptions)}): its id, labels, limits, a listener and a
 * deadline. The id, labels, limits and deadline are stored with the run, so a resumed run keeps its
 * limits and deadline, and {@code RunQuery.builder().label(k, v)} finds it.
 *
 * <pre>{@code
 * RunResult r = rt.run("review", input, RunOptions.builder()
 *     .runId("order-4711-review")            // unique; a used id is refused
 *     .label("tenant", "acme")
 *     .budget(BudgetLimits.builder().maxLlmCalls(5).build())
 *     .deadline(Instant.now().plusSeconds(30))
 *     .listener(event -> log.info("{}", event))
 *     .build());
 * }</pre>
 *
 * <p>Immutable and thread-safe; a {@link Builder} is not.
 *
 * @since 0.1
 */
public final class RunOptions {
  /** What a run id may be: a letter or digit, then letters, digits, {@code . _ : -}; 1 to 128. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  /** What a label key may be: letters, digits, {@code . _ -}; 1 to 64. */
  public static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** The longest label value, in characters. */
  public static final int MAX_LABEL_VALUE = 256;

  /** The most labels one run may have. */
  public static final int MAX_LABELS = 32;

  private static final RunOptions DEFAULTS = new Builder().build();

  private final @Nullable String runId;
  private final Map<String, String> labels;
  private final @Nullable BudgetLimits budget;
  private final @Nullable RunListener listener;
  private final @Nullable Instant deadline;
  private final int priority;
  private final boolean leftToWorkers;

  private RunOptions(Builder b) {
    this.runId = b.runId;
    this.labels = Collections.unmodifiableMap(new TreeMap<>(b.labels));
    this.budget = b.budget;
    this.listener = b.listener;
    this.deadline = b.deadline;
    this.priority = b.priority;
    this.leftToWorkers = b.leftToWorkers;
  }

  /** No option: a generated id, no label, the workflow's limits, no deadline. */
  public static RunOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The run id the caller chose; empty: the runtime generates one. */
  public Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  /** The run's labels, sorted by key. */
  public Map<String, String> labels() {
    return labels;
  }

  /** Limits over the workflow's {@code budget:} (each limit set here wins); empty: none. */
  public Optional<BudgetLimits> budget() {
    return Optional.ofNullable(budget);
  }

  /** The listener of this run's events only; empty: none. */
  public Optional<RunListener> listener() {
    return Optional.ofNullable(listener);
  }

  /** When the run is stopped if it has not ended; empty: no deadline. */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * The run's place in the queue when it has to wait for a slot ({@code scheduler:} in {@code
   * config.yml}, {@link AgentRuntime#enqueue}): higher first, first come first served within one
   * priority. 0 by default.
   *
   * @since 0.1
   */
  public int priority() {
    return priority;
  }

  /**
   * Whether an enqueued run is left to the workers sharing the store instead of being started by
   * this runtime ({@link Builder#leaveToWorkers()}).
   *
   * @since 0.1
   */
  public boolean leftToWorkers() {
    return leftToWorkers;
  }

  @Override
  public String toString() {
    return "RunOptions{runId="
        + runId
        + ", labels="
        + labels
        + ", budget="
        + budget
        + ", deadline="
        + deadline
        + ", priority="
        + priority
        + ", listener="
        + (listener != null)
        + "}";
  }

  /**
   * Builds {@link RunOptions}; each setter checks its value at once. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private @Nullable String runId;
    private final Map<String, String> labels = new TreeMap<>();
    private @Nullable BudgetLimits budget;
    private @Nullable RunListener listener;
    private @Nullable Instant deadline;
    private int priority;
    private boolean leftToWorkers;

    private Builder() {}

    /**
     * For {@link AgentRuntime#enqueue}: stores the run as queued and leaves it to the workers
     * sharing the checkpoint store ({@link AgentRuntime#worker(int)}, {@code agentrt worker}); this
     * runtime does not start it. The handle completes when the store shows the run ended.
     *
     * @since 0.1
     */
    public Builder leaveToWorkers() {
      this.leftToWorkers = true;
      return this;
    }

    /**
     * The run's priority in the queue: higher runs are dequeued first, and runs of one priority in
     * the order they were queued. Default 0; negative values are allowed.
     *
     * @since 0.1
     */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * The run's id instead of a generated one: one of {@link #RUN_ID}, and not used by any run of
     * the store (checked when the run starts).
     *
     * @throws IllegalArgumentException if it does not match {@link #RUN_ID}
     */
    public Builder runId(String runId) {
      Objects.requireNonNull(runId, "runId");
      if (!RUN_ID.matcher(runId).matches()) {
        throw new IllegalArgumentException(
            "run id '"
                + runId
                + "' is not valid: write 1 to 128 letters, digits, '.', '_', ':' or '-', starting"
                + " with a letter or digit");
      }
      this.runId = runId;
      return this;
    }

    /**
     * A label stored with the run, to find it with {@code RunQuery.builder().label(key, value)}.
     *
     * @throws IllegalArgumentException if the key does not match {@link #LABEL_KEY}, the value is
     *     longer than {@link #MAX_LABEL_VALUE}, or the run would have more than {@link #MAX_LABELS}
     */
    public Builder label(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!LABEL_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "label key '" + key + "' is not valid: write 1 to 64 letters, digits, '.', '_' or '-'");
      }
      if (value.length() > MAX_LABEL_VALUE) {
        throw new IllegalArgumentException(
            "label '"
                + key
                + "' is "
                + value.length()
                + " characters long; the most is "
                + MAX_LABEL_VALUE);
      }
      if (!labels.containsKey(key) && labels.size() == MAX_LABELS) {
        throw new IllegalArgumentException("a run has at most " + MAX_LABELS + " labels");
      }
      labels.put(key, value);
      return this;
    }

    /** Labels, as {@link #label} adds each. */
    public Builder labels(Map<String, String> labels) {
      labels.forEach(this::label);
      return this;
    }

    /**
     * Limits for this run over the workflow's {@code budget:}: each limit set here replaces the
     * workflow's, the others stay. Stored with the run, so a resume keeps them.
     */
    public Builder budget(BudgetLimits budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * A listener of this run's events only (after the runtime's listeners), for {@code run} and
     * {@code start}; a resume does not keep it.
     */
    public Builder listener(RunListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The instant the run is stopped at, as {@code max_duration} stops one ({@code FAILED}, {@link
     * FailureReason#BUDGET_EXCEEDED}), by the runtime's clock. Stored with the run: a resume after
     * it stops at once.
     */
    public Builder deadline(Instant deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /** The options. */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
