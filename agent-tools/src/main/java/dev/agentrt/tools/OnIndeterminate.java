package dev.agentrt.tools;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What to do with a {@link dev.agentrt.core.spi.Effect#NON_IDEMPOTENT} call that an earlier
 * execution started (its intent is recorded) without recording a result, so that its effect may or
 * may not have happened. Decided by a person, as the input of {@code AgentRuntime.resume(runId,
 * {"effect": "retry" | "skip" | "fail"})}, or in advance by {@code
 * policy.tools.<name>.on_indeterminate} in {@code config.yml}.
 *
 * @since 0.1
 */
public enum OnIndeterminate {
  /**
   * Do not call the tool; the run waits ({@code INDETERMINATE_EFFECT}) for a person. The policy
   * default.
   */
  WAIT,
  /** Call the tool again with the same idempotency key. */
  RETRY,
  /**
   * Do not call the tool; the call succeeds with {@code {"skipped": true, "tool": <name>, "call":
   * <call id>}} (for when the effect is known to have happened).
   */
  SKIP,
  /**
   * Do not call the tool; the call fails ({@code DENIED}, not retried) with a message naming it.
   */
  FAIL;

  /**
   * The name as written in configuration and resume input: {@code wait}, {@code retry}, {@code
   * skip}, {@code fail}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The decision written {@code id}, or null if none is. */
  public static @Nullable OnIndeterminate parse(String id) {
    for (OnIndeterminate d : values()) if (d.id().equals(id)) return d;
    return null;
  }
}
