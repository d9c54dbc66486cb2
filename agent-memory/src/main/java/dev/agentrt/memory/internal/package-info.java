/**
 * Internal implementation of agent-memory: the SQLite schema and migrations, the group-commit
 * writer, leases and record encoding. Nothing here is API; it changes without notice. Classes are
 * public only because {@code dev.agentrt.memory} needs them.
 */
@NullMarked
package dev.agentrt.memory.internal;

import org.jspecify.annotations.NullMarked;
