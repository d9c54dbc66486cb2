package dev.agentrt.core.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the router continues after a node (ARCHITECTURE §3).
 *
 * @since 0.1
 */
public enum Role {
  /** The single entry of a workflow; receives the input. */
  @JsonProperty("start")
  START,
  /** One outgoing edge (the default). */
  @JsonProperty("linear")
  LINEAR,
  /**
   * Exactly one outgoing edge is taken, by matching the value at {@code route:} against {@code
   * when:}.
   */
  @JsonProperty("decision")
  DECISION,
  /** Every outgoing edge runs in parallel until the matching merge. */
  @JsonProperty("branch")
  BRANCH,
  /** One sub-task per item of an array, in parallel, until the matching merge. */
  @JsonProperty("split")
  SPLIT,
  /** Waits for every branch or sub-task of the matching branch or split. */
  @JsonProperty("merge")
  MERGE,
  /** Ends the run; {@code output:} builds the result. */
  @JsonProperty("exit")
  EXIT;

  /** The name as written in YAML. */
  public String yamlName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
