package dev.agentrt.llm.router;

import java.util.List;
import java.util.Objects;

/**
 * The result of ranking one request.
 *
 * @param recommendations every candidate, best first; equal scores in the order of their edge names
 * @param confidence the best candidate's score (0 when there is no candidate)
 * @param model the embedding model that produced the similarities
 * @since 0.1
 */
public record Ranking(List<Recommendation> recommendations, double confidence, String model) {

  /**
   * Checks and copies the components.
   *
   * @throws NullPointerException if a component or a recommendation is null
   */
  public Ranking {
    recommendations = List.copyOf(recommendations);
    Objects.requireNonNull(model, "model");
  }
}
