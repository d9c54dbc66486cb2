package dev.agentrt.core.manifest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code mcp_servers:} in {@code config.yml}: an MCP server whose tools join the
 * ToolBus as {@code <server>.<tool>} (agent-mcp on the classpath). Exactly one of {@code command}
 * and {@code url} is given.
 *
 * <pre>{@code
 * mcp_servers:
 *   github: {command: [npx, -y, "@modelcontextprotocol/server-github"],
 *            env: {GITHUB_TOKEN: "${env:GITHUB_TOKEN}"}}
 *   search: {url: https://mcp.example.com/mcp, headers: {Authorization: "Bearer ${env:TOKEN}"}}
 * }</pre>
 *
 * @param command the program and its arguments of a server spoken to over stdio; run in the working
 *     directory, with the runtime's environment plus {@code env}
 * @param url the endpoint of a server spoken to over streamable HTTP ({@code http} or {@code
 *     https})
 * @param env variables added to a {@code command} server's environment, usually {@code ${env:X}}
 * @param headers HTTP headers sent with every request to a {@code url} server, usually {@code
 *     ${env:X}}
 * @param timeout how long starting the server, listing its tools and one request may take; default
 *     {@link #DEFAULT_TIMEOUT}
 * @since 0.1
 */
public record McpServerSpec(
    @Nullable List<String> command,
    @Nullable String url,
    @Nullable Map<String, Secret> env,
    @Nullable Map<String, Secret> headers,
    @Nullable Duration timeout) {

  /** The default {@link #timeout()}: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The syntax of a server name: one segment of a tool name (a lower-case letter, then lower-case
   * letters, digits or {@code _}), since the server's tools are named {@code <server>.<tool>}.
   */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** {@link #timeout()}, or {@link #DEFAULT_TIMEOUT} when absent. */
  public Duration timeoutOrDefault() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** {@link #env()}, empty when absent. */
  public Map<String, Secret> envOrEmpty() {
    return env == null ? Map.of() : env;
  }

  /** {@link #headers()}, empty when absent. */
  public Map<String, Secret> headersOrEmpty() {
    return headers == null ? Map.of() : headers;
  }
}
