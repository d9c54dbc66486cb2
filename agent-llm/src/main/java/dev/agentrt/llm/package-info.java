/**
 * Agent nodes backed by LangChain4j chat models: the tool-use loop, streaming, usage and cost
 * accounting, scripted and recorded models. Provides node kinds {@code agent} and {@code router}.
 * Not implemented yet: see the agent-nodes issue.
 */
@NullMarked
package dev.agentrt.llm;

import org.jspecify.annotations.NullMarked;
