package dev.agentrt.core.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When a node with {@code interrupt:} suspends the run.
 *
 * @since 0.1
 */
public enum InterruptMode {
  /** Before the node executes; the resume input is at {@code state.$resume.<node>} when it does. */
  @JsonProperty("before")
  BEFORE,
  /** After the node executed, before the router leaves it. */
  @JsonProperty("after")
  AFTER
}
