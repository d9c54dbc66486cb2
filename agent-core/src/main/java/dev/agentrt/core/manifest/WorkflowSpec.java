package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code workflows/*.yml} file: a graph of nodes and edges (ARCHITECTURE §3).
 *
 * @param id the workflow's id, used to run it
 * @param description what it does
 * @param input the schema of its input
 * @param budget limits for each run, over the defaults of {@code config.yml}
 * @param nodes the nodes, in file order
 * @param edges the edges, in file order (a decision tries them in this order)
 * @since 0.1
 */
public record WorkflowSpec(
    @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
    @Nullable String description,
    @Nullable InputSpec input,
    @Nullable @Valid BudgetSpec budget,
    @NotEmpty List<@NotNull @Valid NodeSpec> nodes,
    @NotNull List<@NotNull @Valid EdgeSpec> edges) {

  public WorkflowSpec {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    edges = edges == null ? List.of() : List.copyOf(edges);
  }

  /** The node with this id, if any. */
  public java.util.Optional<NodeSpec> node(String nodeId) {
    for (NodeSpec n : nodes) {
      if (n.id().equals(nodeId)) return java.util.Optional.of(n);
    }
    return java.util.Optional.empty();
  }

  /**
   * The schema of a workflow's input.
   *
   * @param schema a JSON Schema
   * @since 0.1
   */
  public record InputSpec(@Nullable JsonNode schema) {}
}
