/**
 * Internal implementation of agent-store-postgres: the schema and its migrations, leases and their
 * heartbeat, the run queue and record encoding. Nothing here is API; it changes without notice.
 * Classes are public only because {@code dev.agentrt.store.postgres} needs them.
 */
@NullMarked
package dev.agentrt.store.postgres.internal;

import org.jspecify.annotations.NullMarked;
