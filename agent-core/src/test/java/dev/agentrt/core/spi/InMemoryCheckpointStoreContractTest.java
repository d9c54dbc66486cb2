package dev.agentrt.core.spi;

import java.time.Clock;
import java.time.Duration;

/** The in-memory store against the {@link CheckpointStoreContract}: one instance, no leases. */
class InMemoryCheckpointStoreContractTest extends CheckpointStoreContract {

  @Override
  protected CheckpointStore open(Clock clock, Duration leaseTtl) {
    return CheckpointStore.inMemory(10_000, clock);
  }
}
