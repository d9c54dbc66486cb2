/**
 * Internal implementation of agent-memory's search: the {@link
 * dev.agentrt.memory.internal.search.SearchIndex} seam between a memory backend and its ranking,
 * and the Lucene index (BM25 + HNSW) behind it. Nothing here is API; it changes without notice.
 */
@NullMarked
package dev.agentrt.memory.internal.search;

import org.jspecify.annotations.NullMarked;
