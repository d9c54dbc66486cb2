package dev.agentrt.core.memory;

import java.util.Locale;

/**
 * How widely an item of memory is shared.
 *
 * @since 0.1
 */
public enum MemoryScope {
  /** One run and its sub-workflows; no other run sees it. */
  TASK,
  /** The runs of one {@code .agent/} directory. */
  PROJECT,
  /** Every run of the installation. */
  GLOBAL;

  /** The name used in {@code config.yml}, tool arguments and the CLI: {@code task}, ... */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scope named {@code name} ({@code task}, {@code project} or {@code global}).
   *
   * @throws IllegalArgumentException naming the scopes, for any other name
   */
  public static MemoryScope parse(String name) {
    for (MemoryScope s : values()) {
      if (s.configName().equals(name)) return s;
    }
    throw new IllegalArgumentException(
        "unknown memory scope '" + name + "' (scopes: task, project, global)");
  }
}
