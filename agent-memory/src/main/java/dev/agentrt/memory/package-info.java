/**
 * The SQLite (WAL) checkpoint store, content-addressed artifacts and memory stores.
 * Not implemented yet: see the durable-runs issue.
 */
@NullMarked
package dev.agentrt.memory;

import org.jspecify.annotations.NullMarked;
