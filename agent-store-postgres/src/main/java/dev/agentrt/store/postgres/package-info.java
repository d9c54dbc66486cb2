/**
 * A PostgreSQL checkpoint store for agentrt: {@link
 * dev.agentrt.store.postgres.PostgresCheckpointStore}, a {@link
 * dev.agentrt.core.spi.CheckpointStore} and durable run queue that engines on many JVMs share, with
 * per-run leases that fence writers, takeover of runs whose engine died, and claims of queued runs
 * with {@code FOR UPDATE SKIP LOCKED}. With this module on the classpath, {@code AgentRuntime} uses
 * it when {@code config.yml} asks for it ({@code checkpoint: {store: postgres, url:
 * jdbc:postgresql://db:5432/agentrt, user: agentrt, password: ${env:AGENTRT_DB_PASSWORD}}}).
 */
@NullMarked
package dev.agentrt.store.postgres;

import org.jspecify.annotations.NullMarked;
