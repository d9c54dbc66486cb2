package dev.agentrt.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * A problem that a {@link NodeExecutor} found at load time, in a node or in {@code config.yml}. The
 * loader adds the file, line and column: of {@code field} in the node (or of the node when the
 * field is absent from the file), or, for a problem {@link #inConfig in config.yml}, of the key at
 * {@code configKey} (or of its nearest ancestor present in the file).
 *
 * @param field the node's YAML key concerned, such as {@code tool} or {@code args}; empty for a
 *     problem of the node as a whole, located at the node (a required key that is missing, see
 *     {@link NodeKeys#missing}), or in {@code config.yml}
 * @param message what is wrong and how to fix it, without the location (and, for a problem in
 *     {@code config.yml}, without the key: the loader writes {@code policy.workspace: } before it)
 * @param configKey the path of keys in {@code config.yml} ({@code [policy, tools, http,
 *     read_timeout]}), empty for a problem in the node
 * @since 0.1
 */
public record NodeProblem(String field, String message, List<String> configKey) {
  public NodeProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
    configKey = List.copyOf(configKey);
  }

  /** A problem at {@code field} of the node. */
  public NodeProblem(String field, String message) {
    this(field, message, List.of());
  }

  /**
   * A problem in {@code config.yml}, at the key path {@code key} (tool names such as {@code
   * tests.run} are one element). A problem reported for several nodes is shown once.
   *
   * @throws IllegalArgumentException if {@code key} is empty
   */
  public static NodeProblem inConfig(List<String> key, String message) {
    if (key.isEmpty()) throw new IllegalArgumentException("key is empty");
    return new NodeProblem("", message, key);
  }

  /** Whether this problem is in {@code config.yml} rather than in the node. */
  public boolean isInConfig() {
    return !configKey.isEmpty();
  }
}
