package dev.agentrt.core;

/**
 * A run was refused because the queue of runs waiting for a slot is full ({@code
 * scheduler.max_queue_size} with {@code on_full: reject}). Nothing was written: retry later, or
 * raise the limit.
 *
 * @since 0.1
 */
public final class QueueFullException extends AgentrtException {
  private static final long serialVersionUID = 1L;

  private final int queueSize;

  /** A refusal of a queue holding {@code queueSize} runs. */
  public QueueFullException(int queueSize, String message) {
    super(message);
    this.queueSize = queueSize;
  }

  /** How many runs the queue held (its {@code max_queue_size}). */
  public int queueSize() {
    return queueSize;
  }
}
