package dev.agentrt.core.manifest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code checkpoint:} section of {@code config.yml}.
 *
 * @param store the store's provider name ({@code memory}, {@code sqlite}, ...); absent: the one
 *     store provider on the classpath, else memory (without the whole section: memory)
 * @param path the database file, relative to the working directory
 * @param synchronous {@code normal} (durable across process crashes) or {@code full} (also across
 *     power loss)
 * @param leaseTtl how long a run stays owned by an engine that stopped renewing its lease (a
 *     crashed process) before another engine may take it over
 * @param recoverOnStart whether the runtime, once built, continues the runs whose owner died
 *     (running, lease expired) and starts the queued runs, through the scheduler's limits ({@code
 *     recover_on_start: true}); default false
 * @param retention which finished runs are deleted in the background; absent: none
 * @param url the JDBC URL of a database store ({@code postgres}), such as {@code
 *     jdbc:postgresql://db:5432/agentrt}
 * @param user the database user of a database store
 * @param password the database password, from {@code ${env:...}} or {@code ${file:...}} only
 * @since 0.1
 */
public record CheckpointSpec(
    @Nullable String store,
    @Nullable String path,
    @Nullable @Pattern(regexp = "normal|full", message = "must be 'normal' or 'full'")
        String synchronous,
    @Nullable Duration leaseTtl,
    @Nullable Boolean recoverOnStart,
    @Nullable @Valid RetentionSpec retention,
    @Nullable String url,
    @Nullable String user,
    @Nullable Secret password) {

  /** The section with only a store and path given. */
  public CheckpointSpec(
      @Nullable String store,
      @Nullable String path,
      @Nullable String synchronous,
      @Nullable Duration leaseTtl) {
    this(store, path, synchronous, leaseTtl, null, null, null, null, null);
  }
}
