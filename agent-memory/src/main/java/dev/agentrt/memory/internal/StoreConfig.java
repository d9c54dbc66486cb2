package dev.agentrt.memory.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** What {@link SqliteStore} needs from {@code SqliteStoreOptions}, resolved. */
public record StoreConfig(
    Path path,
    boolean fullSync,
    Duration leaseTtl,
    Duration busyTimeout,
    int artifactThreshold,
    String ownerId,
    Clock clock,
    int maxPageCount) {}
