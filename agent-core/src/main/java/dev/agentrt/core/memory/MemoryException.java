package dev.agentrt.core.memory;

import dev.agentrt.core.AgentrtException;

/**
 * A memory operation that could not be done: the message says what and what to change.
 *
 * @since 0.1
 */
public class MemoryException extends AgentrtException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public MemoryException(String message) {
    super(message);
  }

  /** An exception with {@code message}, caused by {@code cause}. */
  public MemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
