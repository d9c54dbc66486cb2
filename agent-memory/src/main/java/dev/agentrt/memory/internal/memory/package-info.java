/**
 * Internal implementation of agent-memory's memory backends: the {@code sqlite} and {@code jsonl}
 * stores, their retention and search wiring, and the built-in {@code memory.save} and {@code
 * memory.search} tools. Nothing here is API; it changes without notice. Classes are public only for
 * {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.agentrt.memory.internal.memory;

import org.jspecify.annotations.NullMarked;
