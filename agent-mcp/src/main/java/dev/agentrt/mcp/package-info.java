/**
 * agent-mcp: the tools of MCP servers in the ToolBus. List servers under {@code mcp_servers:} in
 * {@code config.yml}; {@link dev.agentrt.mcp.McpToolProvider}, discovered with the module on the
 * class path, connects to them (official MCP Java SDK, stdio or streamable HTTP) and offers their
 * tools as {@code <server>.<tool>}. See {@code docs/mcp.md}.
 */
@NullMarked
package dev.agentrt.mcp;

import org.jspecify.annotations.NullMarked;
