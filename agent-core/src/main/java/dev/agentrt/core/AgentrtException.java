package dev.agentrt.core;

/**
 * The root of agentrt's unchecked exceptions. Expected outcomes (a failed step, a budget stop) are
 * reported as values in {@link RunResult}, not as exceptions.
 *
 * @since 0.1
 */
public class AgentrtException extends RuntimeException {
  public AgentrtException(String message) {
    super(message);
  }

  public AgentrtException(String message, Throwable cause) {
    super(message, cause);
  }
}
