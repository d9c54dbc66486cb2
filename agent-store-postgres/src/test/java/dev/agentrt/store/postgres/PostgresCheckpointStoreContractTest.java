package dev.agentrt.store.postgres;

import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreContract;
import java.time.Clock;
import java.time.Duration;

/**
 * The PostgreSQL store against the {@link CheckpointStoreContract}: two {@link
 * PostgresCheckpointStore} instances on one schema are two owners, as two engines on two machines
 * would be. The cases share one schema, emptied before each (a migration per case would cost more
 * than the case).
 */
class PostgresCheckpointStoreContractTest extends CheckpointStoreContract {
  private String url;

  @Override
  protected CheckpointStore open(Clock clock, Duration leaseTtl) {
    url = TestDatabase.emptySchema(PostgresCheckpointStoreContractTest.class);
    return PostgresCheckpointStore.open(
        TestDatabase.options(url).ownerId("engine-a").clock(clock).leaseTtl(leaseTtl).build());
  }

  @Override
  protected boolean sharesAcrossInstances() {
    return true;
  }

  @Override
  protected CheckpointStore openAnother(Clock clock, Duration leaseTtl) {
    return PostgresCheckpointStore.open(
        TestDatabase.options(url).ownerId("engine-b").clock(clock).leaseTtl(leaseTtl).build());
  }

  @Override
  protected void stopRenewal(CheckpointStore instance) {
    ((PostgresCheckpointStore) instance).internals().heartbeat(false);
  }
}
