package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.memory.MemorySpace;
import org.jspecify.annotations.Nullable;

/**
 * An item a backend deleted (by retention or on request).
 *
 * @param space its space
 * @param key its key
 * @param modelKey {@link Stored#modelKey()} of its vector, or null
 */
record Gone(MemorySpace space, String key, @Nullable String modelKey) {}
