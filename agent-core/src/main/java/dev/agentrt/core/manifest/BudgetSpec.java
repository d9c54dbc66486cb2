package dev.agentrt.core.manifest;

import dev.agentrt.core.BudgetLimits;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@code budget:} section, in {@code config.yml} (defaults for every run), a workflow or an
 * agent.
 *
 * @since 0.1
 */
public record BudgetSpec(
    @Nullable @Positive Long maxHops,
    @Nullable Duration maxDuration,
    @Nullable @Positive Long maxTokens,
    @Nullable @PositiveOrZero Double maxCostUsd,
    @Nullable @PositiveOrZero Long maxLlmCalls,
    @Nullable @PositiveOrZero Long maxToolCalls) {

  /** These limits as {@link BudgetLimits}; absent keys are unlimited. */
  public BudgetLimits toLimits() {
    BudgetLimits.Builder b = BudgetLimits.builder();
    if (maxHops != null && maxHops > 0) b.maxHops(maxHops);
    if (maxDuration != null && !maxDuration.isNegative() && !maxDuration.isZero()) b.maxDuration(maxDuration);
    if (maxTokens != null && maxTokens > 0) b.maxTokens(maxTokens);
    if (maxCostUsd != null && maxCostUsd >= 0) b.maxCostUsd(maxCostUsd);
    if (maxLlmCalls != null && maxLlmCalls >= 0) b.maxLlmCalls(maxLlmCalls);
    if (maxToolCalls != null && maxToolCalls >= 0) b.maxToolCalls(maxToolCalls);
    return b.build();
  }
}
