/**
 * Implementation of agent-llm. Not API: anything here may change without notice; use {@code
 * dev.agentrt.llm} and {@code dev.agentrt.llm.spi}.
 */
@NullMarked
package dev.agentrt.llm.internal;

import org.jspecify.annotations.NullMarked;
