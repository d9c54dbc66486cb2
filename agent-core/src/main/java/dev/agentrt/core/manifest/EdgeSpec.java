package dev.agentrt.core.manifest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One edge of a workflow.
 *
 * @param id the edge's name in {@code state.$loops} and events; {@code from->to} when absent
 * @param from the node the edge leaves
 * @param to the node it enters
 * @param when the value a decision's route must equal to take this edge, or {@code $error} for the
 *     edge taken when the node fails; absent: the decision's default edge
 * @param loop makes the edge a bounded back-edge
 * @param description what the edge means (used by the embedded router)
 * @param tags capability tags of the edge, compared with the request by the embedded router
 *     together with the description; absent: none
 * @param examples a few sample requests that should take this edge; the embedded router ranks a
 *     request by its similarity to them (they improve its accuracy the most); absent: none
 * @since 0.1
 */
public record EdgeSpec(
    @Nullable String id,
    @NotBlank String from,
    @NotBlank String to,
    @Nullable String when,
    @Nullable @Valid LoopSpec loop,
    @Nullable String description,
    @Nullable List<@NotBlank String> tags,
    @Nullable List<@NotBlank String> examples) {

  /** The {@code when:} value of edges taken when their node fails. */
  public static final String ERROR = "$error";

  /** The edge's id: its {@code id:}, or {@code from->to}. */
  public String idOrDefault() {
    return id != null ? id : from + "->" + to;
  }

  /** The edge's {@code tags:}, empty when absent. */
  public List<String> tagsOrEmpty() {
    return tags == null ? List.of() : tags;
  }

  /** The edge's {@code examples:}, empty when absent. */
  public List<String> examplesOrEmpty() {
    return examples == null ? List.of() : examples;
  }

  /** Whether this is an {@code $error} edge. */
  public boolean isErrorEdge() {
    return ERROR.equals(when);
  }

  /**
   * A bounded back-edge: taken at most {@code max} times per run (per sub-task inside a split),
   * then the router takes {@code exhausted}.
   *
   * @since 0.1
   */
  public record LoopSpec(
      @jakarta.validation.constraints.Min(value = 1, message = "must be at least 1") int max,
      @NotBlank(message = "the node to take once the loop has run max times") String exhausted) {}
}
