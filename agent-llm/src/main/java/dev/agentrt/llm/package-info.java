/**
 * Agent nodes backed by LangChain4j chat models: {@link dev.agentrt.llm.AgentNodeExecutor} runs
 * {@code kind: agent} (the tool-use loop, output schema with one repair round, usage and cost
 * charged to the run budget, every LLM call recorded and reused on resume). Models come from {@code
 * config.yml}'s {@code models:} through {@link dev.agentrt.llm.spi.ModelProvider}s: {@code openai},
 * {@code anthropic}, {@code ollama} and {@code scripted} are built in; {@link
 * dev.agentrt.llm.ScriptRecorder} turns a run's recorded LLM calls into a {@code scripted} script.
 * With {@code stream: true} tokens reach run listeners as they arrive; agents address each other
 * with {@code send_message}. Kind {@code router} (the embedded router, ranking with {@link
 * dev.agentrt.llm.router.RouteRanker}) is provided too. See {@code docs/agents.md} and {@code
 * docs/router.md}.
 */
@NullMarked
package dev.agentrt.llm;

import org.jspecify.annotations.NullMarked;
