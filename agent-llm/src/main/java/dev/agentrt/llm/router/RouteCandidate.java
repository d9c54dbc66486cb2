package dev.agentrt.llm.router;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One place a request may be routed to: a decision's outgoing edge.
 *
 * @param edge the edge's {@code when:} value, the name the ranking reports and a decision matches
 * @param to the id of the node the edge enters
 * @param description what the edge means, in words; may be null
 * @param tags the edge's capability tags (compared together with the description)
 * @param examples a few sample requests that should take this edge; they improve accuracy the most
 * @since 0.1
 */
public record RouteCandidate(
    String edge,
    String to,
    @Nullable String description,
    List<String> tags,
    List<String> examples) {

  /**
   * Checks and copies the components.
   *
   * @throws NullPointerException if a component other than {@code description}, or an element of a
   *     list, is null
   * @throws IllegalArgumentException if {@code edge} is blank
   */
  public RouteCandidate {
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(to, "to");
    if (edge.isBlank()) throw new IllegalArgumentException("edge must not be blank");
    tags = List.copyOf(tags);
    examples = List.copyOf(examples);
  }
}
