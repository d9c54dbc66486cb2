package dev.agentrt.core.spi;

import java.time.Clock;
import java.time.Duration;

/**
 * The {@link CheckpointStoreContract} against a store that really defers {@link
 * RunLog#appendDeferrable} steps to the next write, so that the contract's cases hold for a
 * deferring store as for one that writes at once (the in-memory store).
 */
class DeferringCheckpointStoreContractTest extends CheckpointStoreContract {

  @Override
  protected CheckpointStore open(Clock clock, Duration leaseTtl) {
    return new DeferringCheckpointStore(CheckpointStore.inMemory(10_000, clock));
  }
}
