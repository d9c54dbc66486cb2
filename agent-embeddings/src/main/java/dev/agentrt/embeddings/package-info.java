/**
 * In-process embedding models for dense memory search. {@link
 * dev.agentrt.embeddings.MiniLmEmbedder} runs all-MiniLM-L6-v2 (quantized) with ONNX Runtime; it is
 * registered for {@link java.util.ServiceLoader} as a {@link dev.agentrt.core.memory.Embedder}, so
 * adding this module to the class path gives memory search its dense ranking.
 */
@NullMarked
package dev.agentrt.embeddings;

import org.jspecify.annotations.NullMarked;
