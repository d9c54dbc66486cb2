package dev.agentrt.memory;

import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.CheckpointStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store against the {@link CheckpointStoreContract}: two {@link SqliteCheckpointStore}
 * instances on one file are two owners, as two processes would be.
 */
class SqliteCheckpointStoreContractTest extends CheckpointStoreContract {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("runs.db");
  }

  @Override
  protected CheckpointStore open(Clock clock, Duration leaseTtl) {
    return SqliteCheckpointStore.open(
        db(), Fixtures.options().ownerId("engine-a").clock(clock).leaseTtl(leaseTtl).build());
  }

  @Override
  protected boolean sharesAcrossInstances() {
    return true;
  }

  @Override
  protected CheckpointStore openAnother(Clock clock, Duration leaseTtl) {
    return SqliteCheckpointStore.open(
        db(), Fixtures.options().ownerId("engine-b").clock(clock).leaseTtl(leaseTtl).build());
  }

  @Override
  protected void stopRenewal(CheckpointStore instance) {
    ((SqliteCheckpointStore) instance).internals().heartbeat(false);
  }
}
