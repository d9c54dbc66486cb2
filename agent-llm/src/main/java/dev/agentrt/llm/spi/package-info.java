/**
 * What agent-llm's users implement: {@link dev.agentrt.llm.spi.ModelProvider}, which turns one
 * entry of {@code config.yml}'s {@code models:} into a LangChain4j {@code ChatModel}.
 */
@NullMarked
package dev.agentrt.llm.spi;

import org.jspecify.annotations.NullMarked;
