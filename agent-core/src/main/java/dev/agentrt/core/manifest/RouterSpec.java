package dev.agentrt.core.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

/**
 * The {@code router:} block of a {@code kind: router} node (the embedded router of {@code
 * dev.agentrt:agent-llm}, see {@code docs/router.md}).
 *
 * @param text a template of the text to route, such as <code>{{input.request}}</code> (required)
 * @param mode {@code decide} (the router's node is the decision) or {@code inform} (the router
 *     recommends, the decision node after it decides); {@code inform} when absent
 * @param minConfidence decide mode: the top recommendation is taken when its score is at least
 *     this; 0 when absent
 * @param fallback decide mode, below {@code min_confidence}: the {@code when:} value of one of the
 *     node's edges to take, or {@code ask} to suspend the run and ask a person; absent: the default
 *     edge (the one without {@code when:})
 * @param top how many recommendations the output keeps; 3 when absent
 * @since 0.1
 */
public record RouterSpec(
    @Nullable String text,
    @Nullable Mode mode,
    @Nullable
        @DecimalMin(value = "0.0", message = "must be between 0 and 1")
        @DecimalMax(value = "1.0", message = "must be between 0 and 1")
        Double minConfidence,
    @Nullable String fallback,
    @Nullable @Min(value = 1, message = "must be at least 1") Integer top) {

  /** The {@code fallback:} value that suspends the run to ask a person. */
  public static final String ASK = "ask";

  /** The mode, {@link Mode#INFORM} when absent. */
  public Mode modeOrDefault() {
    return mode == null ? Mode.INFORM : mode;
  }

  /** The minimum confidence, 0 when absent. */
  public double minConfidenceOrDefault() {
    return minConfidence == null ? 0.0 : minConfidence;
  }

  /** How many recommendations the output keeps, 3 when absent. */
  public int topOrDefault() {
    return top == null ? 3 : top;
  }

  /**
   * What the embedded router does with its ranking.
   *
   * @since 0.1
   */
  public enum Mode {
    /** The router's node is the decision: it takes the top edge, a fallback, or asks a person. */
    @JsonProperty("decide")
    DECIDE,
    /** The router recommends; the decision node after it (an agent) sees it and decides. */
    @JsonProperty("inform")
    INFORM
  }
}
