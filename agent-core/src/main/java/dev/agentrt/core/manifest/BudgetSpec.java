package dev.agentrt.core.manifest;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@code budget:} section, in {@code config.yml} (defaults for every run), a workflow or an
 * agent. {@code dev.agentrt.core.BudgetLimits.from(spec)} turns it into the limits a run enforces.
 *
 * @since 0.1
 */
public record BudgetSpec(
    @Nullable @Positive Long maxHops,
    @Nullable Duration maxDuration,
    @Nullable @Positive Long maxTokens,
    @Nullable @PositiveOrZero Double maxCostUsd,
    @Nullable @PositiveOrZero Long maxLlmCalls,
    @Nullable @PositiveOrZero Long maxToolCalls) {}
