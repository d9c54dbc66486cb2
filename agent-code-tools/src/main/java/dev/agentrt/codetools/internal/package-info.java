/**
 * Implementation of agent-code-tools: the tools, the unified-diff applier. Internal: not API, may
 * change in any release; use {@link dev.agentrt.codetools.CodeTools} instead.
 */
@NullMarked
package dev.agentrt.codetools.internal;

import org.jspecify.annotations.NullMarked;
