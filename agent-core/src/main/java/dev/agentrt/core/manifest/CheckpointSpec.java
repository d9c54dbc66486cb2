package dev.agentrt.core.manifest;

import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code checkpoint:} section of {@code config.yml}.
 *
 * @param store the store's provider name ({@code memory}, {@code sqlite}, ...); absent: the best
 *     one on the classpath
 * @param path the database file, relative to the working directory
 * @param synchronous {@code normal} (durable across process crashes) or {@code full} (also across
 *     power loss)
 * @since 0.1
 */
public record CheckpointSpec(
    @Nullable String store,
    @Nullable String path,
    @Nullable @Pattern(regexp = "normal|full", message = "must be 'normal' or 'full'") String synchronous) {}
