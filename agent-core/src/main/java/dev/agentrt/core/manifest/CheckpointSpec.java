package dev.agentrt.core.manifest;

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
 * @since 0.1
 */
public record CheckpointSpec(
    @Nullable String store,
    @Nullable String path,
    @Nullable @Pattern(regexp = "normal|full", message = "must be 'normal' or 'full'")
        String synchronous,
    @Nullable Duration leaseTtl) {}
