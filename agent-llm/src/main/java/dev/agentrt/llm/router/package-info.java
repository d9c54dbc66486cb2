/**
 * The embedded router's ranking: {@link dev.agentrt.llm.router.RouteRanker} ranks a request text
 * against a few {@link dev.agentrt.llm.router.RouteCandidate}s (a decision's outgoing edges with
 * their description, tags and example requests) by semantic similarity, with an in-process {@link
 * dev.agentrt.core.memory.Embedder}, and returns a {@link dev.agentrt.llm.router.Ranking} of {@link
 * dev.agentrt.llm.router.Recommendation}s whose scores sum to 1. No LLM is called. The {@code kind:
 * router} node executor uses it; applications and benchmarks may use it directly. See {@code
 * docs/router.md}.
 */
@NullMarked
package dev.agentrt.llm.router;

import org.jspecify.annotations.NullMarked;
