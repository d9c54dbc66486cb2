/**
 * Implementation of agent-tools: the sandbox, the built-in tools, argument validation. Internal:
 * not API, may change in any release; use {@link dev.agentrt.tools.BuiltinTools} and {@link
 * dev.agentrt.tools.ToolBus} instead.
 */
@NullMarked
package dev.agentrt.tools.internal;

import org.jspecify.annotations.NullMarked;
