package dev.agentrt.core;

import dev.agentrt.core.manifest.BudgetSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The limits of a run (ARCHITECTURE §3 "Budgets"). Each limit is optional; an absent limit is
 * unlimited. Immutable; build with {@link #builder()}, derive with {@link #toBuilder()}.
 *
 * <pre>{@code
 * BudgetLimits limits = BudgetLimits.builder().maxHops(50).maxDuration(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class BudgetLimits {
  private static final BudgetLimits UNLIMITED = new Builder().build();

  private final long maxHops;
  private final @Nullable Duration maxDuration;
  private final long maxTokens;
  private final double maxCostUsd;
  private final long maxLlmCalls;
  private final long maxToolCalls;

  private BudgetLimits(Builder b) {
    this.maxHops = b.maxHops;
    this.maxDuration = b.maxDuration;
    this.maxTokens = b.maxTokens;
    this.maxCostUsd = b.maxCostUsd;
    this.maxLlmCalls = b.maxLlmCalls;
    this.maxToolCalls = b.maxToolCalls;
  }

  /** Limits with nothing set. */
  public static BudgetLimits unlimited() {
    return UNLIMITED;
  }

  /**
   * The limits a {@code budget:} section of a manifest sets; absent keys (and a null section) are
   * unlimited.
   *
   * @since 0.1
   */
  public static BudgetLimits from(@Nullable BudgetSpec spec) {
    if (spec == null) return unlimited();
    Builder b = builder();
    if (spec.maxHops() != null && spec.maxHops() > 0) b.maxHops(spec.maxHops());
    Duration d = spec.maxDuration();
    if (d != null && !d.isNegative() && !d.isZero()) b.maxDuration(d);
    if (spec.maxTokens() != null && spec.maxTokens() > 0) b.maxTokens(spec.maxTokens());
    if (spec.maxCostUsd() != null && spec.maxCostUsd() >= 0) b.maxCostUsd(spec.maxCostUsd());
    if (spec.maxLlmCalls() != null && spec.maxLlmCalls() >= 0) b.maxLlmCalls(spec.maxLlmCalls());
    if (spec.maxToolCalls() != null && spec.maxToolCalls() >= 0)
      b.maxToolCalls(spec.maxToolCalls());
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxHops = maxHops;
    b.maxDuration = maxDuration;
    b.maxTokens = maxTokens;
    b.maxCostUsd = maxCostUsd;
    b.maxLlmCalls = maxLlmCalls;
    b.maxToolCalls = maxToolCalls;
    return b;
  }

  /**
   * These limits with every limit that {@code override} sets replaced by the override's value. Used
   * to lay a workflow's {@code budget:} over the defaults of {@code config.yml}.
   */
  public BudgetLimits overriddenBy(BudgetLimits override) {
    Objects.requireNonNull(override, "override");
    Builder b = toBuilder();
    if (override.maxHops >= 0) b.maxHops = override.maxHops;
    if (override.maxDuration != null) b.maxDuration = override.maxDuration;
    if (override.maxTokens >= 0) b.maxTokens = override.maxTokens;
    if (override.maxCostUsd >= 0) b.maxCostUsd = override.maxCostUsd;
    if (override.maxLlmCalls >= 0) b.maxLlmCalls = override.maxLlmCalls;
    if (override.maxToolCalls >= 0) b.maxToolCalls = override.maxToolCalls;
    return b.build();
  }

  /** Node executions allowed ({@code max_hops}). */
  public OptionalLong maxHops() {
    return maxHops < 0 ? OptionalLong.empty() : OptionalLong.of(maxHops);
  }

  /** Wall time allowed from the run's start ({@code max_duration}). */
  public Optional<Duration> maxDuration() {
    return Optional.ofNullable(maxDuration);
  }

  /** Input plus output tokens allowed ({@code max_tokens}). */
  public OptionalLong maxTokens() {
    return maxTokens < 0 ? OptionalLong.empty() : OptionalLong.of(maxTokens);
  }

  /** Cost allowed in US dollars ({@code max_cost_usd}). */
  public OptionalDouble maxCostUsd() {
    return maxCostUsd < 0 ? OptionalDouble.empty() : OptionalDouble.of(maxCostUsd);
  }

  /** LLM calls allowed ({@code max_llm_calls}). */
  public OptionalLong maxLlmCalls() {
    return maxLlmCalls < 0 ? OptionalLong.empty() : OptionalLong.of(maxLlmCalls);
  }

  /** Tool calls allowed ({@code max_tool_calls}). */
  public OptionalLong maxToolCalls() {
    return maxToolCalls < 0 ? OptionalLong.empty() : OptionalLong.of(maxToolCalls);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BudgetLimits other
        && maxHops == other.maxHops
        && Objects.equals(maxDuration, other.maxDuration)
        && maxTokens == other.maxTokens
        && Double.compare(maxCostUsd, other.maxCostUsd) == 0
        && maxLlmCalls == other.maxLlmCalls
        && maxToolCalls == other.maxToolCalls;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxHops, maxDuration, maxTokens, maxCostUsd, maxLlmCalls, maxToolCalls);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BudgetLimits{");
    maxHops().ifPresent(v -> sb.append("max_hops=").append(v).append(' '));
    maxDuration().ifPresent(v -> sb.append("max_duration=").append(v).append(' '));
    maxTokens().ifPresent(v -> sb.append("max_tokens=").append(v).append(' '));
    maxCostUsd().ifPresent(v -> sb.append("max_cost_usd=").append(v).append(' '));
    maxLlmCalls().ifPresent(v -> sb.append("max_llm_calls=").append(v).append(' '));
    maxToolCalls().ifPresent(v -> sb.append("max_tool_calls=").append(v).append(' '));
    return sb.toString().trim() + "}";
  }

  /** Builds {@link BudgetLimits}; every limit defaults to unlimited. Not thread-safe. */
  public static final class Builder {
    private long maxHops = -1;
    private @Nullable Duration maxDuration;
    private long maxTokens = -1;
    private double maxCostUsd = -1;
    private long maxLlmCalls = -1;
    private long maxToolCalls = -1;

    private Builder() {}

    public Builder maxHops(long maxHops) {
      this.maxHops = requireAtLeast("maxHops", maxHops, 1);
      return this;
    }

    public Builder maxDuration(Duration maxDuration) {
      Objects.requireNonNull(maxDuration, "maxDuration");
      if (maxDuration.isNegative() || maxDuration.isZero()) {
        throw new IllegalArgumentException("maxDuration must be positive, was " + maxDuration);
      }
      this.maxDuration = maxDuration;
      return this;
    }

    public Builder maxTokens(long maxTokens) {
      this.maxTokens = requireAtLeast("maxTokens", maxTokens, 1);
      return this;
    }

    public Builder maxCostUsd(double maxCostUsd) {
      if (!(maxCostUsd >= 0) || Double.isInfinite(maxCostUsd)) {
        throw new IllegalArgumentException(
            "maxCostUsd must be a finite number >= 0, was " + maxCostUsd);
      }
      this.maxCostUsd = maxCostUsd;
      return this;
    }

    public Builder maxLlmCalls(long maxLlmCalls) {
      this.maxLlmCalls = requireAtLeast("maxLlmCalls", maxLlmCalls, 0);
      return this;
    }

    public Builder maxToolCalls(long maxToolCalls) {
      this.maxToolCalls = requireAtLeast("maxToolCalls", maxToolCalls, 0);
      return this;
    }

    public BudgetLimits build() {
      return new BudgetLimits(this);
    }

    private static long requireAtLeast(String name, long value, long min) {
      if (value < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
      }
      return value;
    }
  }
}
