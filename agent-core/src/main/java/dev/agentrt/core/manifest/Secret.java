package dev.agentrt.core.manifest;

import java.util.Objects;

/**
 * A credential read from {@code ${env:...}} or {@code ${file:...}}. Its {@link #toString()} never
 * shows the value, so it cannot leak into a log line or message by accident.
 *
 * @since 0.1
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret value. Never log it. */
  public String reveal() {
    return value;
  }

  /** Whether the value is empty (an optional variable that was not set). */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "Secret[empty]" : "Secret[****]";
  }
}
