package dev.agentrt.llm.router;

import java.util.Objects;

/**
 * One ranked candidate.
 *
 * @param edge the candidate's {@code when:} value
 * @param to the id of the node the edge enters
 * @param score the candidate's probability, between 0 and 1; the scores of a ranking sum to 1
 * @param reason why, in words: the closest example or the description, with its cosine similarity
 *     (for example {@code closest example 'Add a --verbose flag' (0.91); tags code})
 * @since 0.1
 */
public record Recommendation(String edge, String to, double score, String reason) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if a component is null
   */
  public Recommendation {
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
  }
}
