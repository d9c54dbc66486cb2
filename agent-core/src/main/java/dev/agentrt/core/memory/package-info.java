/**
 * Memory that outlives a run: items of text with metadata and tags, kept per {@link
 * dev.agentrt.core.memory.MemoryScope scope} and found again by hybrid search (BM25 and embeddings,
 * fused).
 *
 * <p>{@link dev.agentrt.core.memory.MemoryStore} is both the API an application uses ({@code
 * AgentRuntime.memory()}) and the interface a backend implements; {@link
 * dev.agentrt.core.memory.Embedder} turns text into vectors for dense search. The SQLite and JSON
 * Lines backends come with {@code agent-memory}, the in-process embedding model with {@code
 * agent-embeddings}.
 */
@NullMarked
package dev.agentrt.core.memory;

import org.jspecify.annotations.NullMarked;
