package dev.agentrt.core;

import java.time.Instant;

/**
 * A run cannot be continued or written because another engine owns it (a live lease), or because
 * this engine's ownership was taken over. The message names the owner and when the lease expires.
 *
 * @since 0.1
 */
public class RunOwnedException extends CheckpointStoreException {
  private final String runId;
  private final String owner;
  private final Instant leaseExpiresAt;

  public RunOwnedException(String runId, String owner, Instant leaseExpiresAt, String message) {
    super(message);
    this.runId = runId;
    this.owner = owner;
    this.leaseExpiresAt = leaseExpiresAt;
  }

  /** The run concerned. */
  public String runId() {
    return runId;
  }

  /** The id of the engine that owns the run. */
  public String owner() {
    return owner;
  }

  /** When the owner's lease expires unless it is renewed; after that the run can be taken over. */
  public Instant leaseExpiresAt() {
    return leaseExpiresAt;
  }
}
