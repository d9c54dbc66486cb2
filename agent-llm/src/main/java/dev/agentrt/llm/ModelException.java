package dev.agentrt.llm;

import dev.agentrt.core.AgentrtException;
import org.jspecify.annotations.Nullable;

/**
 * A model call failed, or a scripted model's conversation went off script. Its message names the
 * model and says what was found; it never contains a credential.
 *
 * @since 0.1
 */
public class ModelException extends AgentrtException {
  private final boolean retryable;

  /** A failure that another attempt will not fix. */
  public ModelException(String message) {
    super(message);
    this.retryable = false;
  }

  /**
   * A failure with its cause.
   *
   * @param retryable whether another attempt of the step may succeed (rate limits, server errors)
   */
  public ModelException(String message, @Nullable Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether another attempt of the step may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
