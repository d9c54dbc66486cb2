/**
 * Durable storage for agentrt: {@link dev.agentrt.memory.SqliteCheckpointStore}, a {@link
 * dev.agentrt.core.spi.CheckpointStore} on one SQLite file in WAL mode, with content-addressed
 * artifacts for large outputs, per-run leases that fence writers, group commit and retention. With
 * this module on the classpath, {@code AgentRuntime} uses it when {@code config.yml} asks for it
 * ({@code checkpoint: {store: sqlite, path: var/agentrt/runs.db}}); without a {@code checkpoint:}
 * section runs are kept in memory.
 */
@NullMarked
package dev.agentrt.memory;

import org.jspecify.annotations.NullMarked;
