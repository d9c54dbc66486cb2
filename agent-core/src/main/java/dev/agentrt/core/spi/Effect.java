package dev.agentrt.core.spi;

import java.util.Locale;

/**
 * What calling a tool does to the world, which decides what a resumed run does with a call that was
 * started but whose result was not recorded (ARCHITECTURE §4).
 *
 * @since 0.1
 */
public enum Effect {
  /**
   * Reads only; the call may be repeated freely and its result is recorded as soon as it completes.
   */
  NONE,
  /**
   * Changes the world, but repeating the call with the same arguments and idempotency key leaves it
   * as one call would; a resumed run re-issues an unfinished call.
   */
  IDEMPOTENT,
  /**
   * Changes the world, and repeating the call may change it again; a resumed run that finds an
   * unfinished call waits ({@code INDETERMINATE_EFFECT}) for a person or a policy to decide.
   */
  NON_IDEMPOTENT;

  /**
   * The name as written in documentation and records: {@code none}, {@code idempotent}, {@code
   * non_idempotent}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
