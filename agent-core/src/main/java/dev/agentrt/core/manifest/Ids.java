package dev.agentrt.core.manifest;

/** The syntax of ids: node ids, workflow ids, agent names. */
final class Ids {
  static final String PATTERN = "[A-Za-z_][A-Za-z0-9_-]*";
  static final String MESSAGE =
      "must start with a letter or '_' and contain only letters, digits, '_' and '-' (no dots: ids are path segments)";

  private Ids() {}
}
