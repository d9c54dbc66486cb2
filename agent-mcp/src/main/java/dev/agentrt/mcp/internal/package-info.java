/**
 * Implementation of agent-mcp: the {@link dev.agentrt.core.spi.ToolProvider} that starts the MCP
 * servers of {@code config.yml}'s {@code mcp_servers:} and offers their tools to the ToolBus.
 * Internal: not API, may change in any release; put agent-mcp on the classpath and configure {@code
 * mcp_servers:} instead.
 */
@NullMarked
package dev.agentrt.mcp.internal;

import org.jspecify.annotations.NullMarked;
