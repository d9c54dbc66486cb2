package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mcp_servers:} in config.yml: binding, secrets and the rules the record cannot say. */
class McpServersConfigTest {
  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir).workflow(ConfigSectionsTest.WF);
  }

  @Test
  void load_commandAndUrlServers_bindWithSecretsFromEnvironment() {
    fx.env("GH_TOKEN", "ghp-value-123")
        .env("SEARCH_KEY", "search-value-456")
        .config(
            """
            mcp_servers:
              github:
                command: [npx, -y, "@modelcontextprotocol/server-github"]
                env: {GITHUB_PERSONAL_ACCESS_TOKEN: "${env:GH_TOKEN}", LOG: quiet}
                timeout: 10s
              search:
                url: https://mcp.example.com/mcp
                headers: {Authorization: "Bearer ${env:SEARCH_KEY}"}
            """);

    Manifests m = fx.load();

    McpServerSpec github = m.config().mcpServersOrEmpty().get("github");
    assertThat(github.command())
        .containsExactly("npx", "-y", "@modelcontextprotocol/server-github");
    assertThat(github.url()).isNull();
    assertThat(github.envOrEmpty().get("GITHUB_PERSONAL_ACCESS_TOKEN").reveal())
        .isEqualTo("ghp-value-123");
    assertThat(github.envOrEmpty().get("LOG").reveal()).isEqualTo("quiet");
    assertThat(github.timeoutOrDefault()).isEqualTo(Duration.ofSeconds(10));
    assertThat(github.toString()).doesNotContain("ghp-value-123");
    McpServerSpec search = m.config().mcpServersOrEmpty().get("search");
    assertThat(search.url()).isEqualTo("https://mcp.example.com/mcp");
    assertThat(search.headersOrEmpty().get("Authorization").reveal())
        .isEqualTo("Bearer search-value-456");
    assertThat(search.timeoutOrDefault()).isEqualTo(McpServerSpec.DEFAULT_TIMEOUT);
    assertThat(search.toString()).doesNotContain("search-value-456");
    assertThat(m.redactor()).isEqualTo(Redactor.of(Set.of("ghp-value-123", "search-value-456")));
  }

  @Test
  void load_noServers_empty() {
    assertThat(fx.load().config().mcpServersOrEmpty()).isEmpty();
  }

  record Case(String config, String needle, String message) {}

  static Stream<Arguments> badServers() {
    return Stream.of(
        bad(
            "neither command nor url",
            "mcp_servers:\n  s: {timeout: 5s}\n",
            "{timeout",
            "mcp_servers.s: neither command nor url is given (give command: [program, args...]"
                + " for a stdio server or url: http://... for a streamable HTTP server)"),
        bad(
            "both command and url",
            "mcp_servers:\n  s: {command: [srv], url: \"http://127.0.0.1:9/mcp\"}\n",
            "{command",
            "mcp_servers.s: both command and url are given (give one: command for a stdio"
                + " server, url for a streamable HTTP server)"),
        bad(
            "server name not a tool-name segment",
            "mcp_servers:\n  My-Server: {command: [srv]}\n",
            "My-Server",
            "mcp_servers.My-Server: server name 'My-Server' must start with a lower-case letter"
                + " and contain only lower-case letters, digits and '_' (its tools are named"
                + " <server>.<tool>)"),
        bad(
            "empty command",
            "mcp_servers:\n  s: {command: []}\n",
            "[]",
            "mcp_servers.s.command: names no program (write command: [program, args...])"),
        bad(
            "url not http",
            "mcp_servers:\n  s: {url: \"ftp://example.com/mcp\"}\n",
            "\"ftp",
            "mcp_servers.s.url: 'ftp://example.com/mcp' is not an http or https URL (write url:"
                + " https://host/path)"),
        bad(
            "env on a url server",
            "mcp_servers:\n  s: {url: \"http://127.0.0.1:9/mcp\", env: {A: b}}\n",
            "{A",
            "mcp_servers.s.env: only a command server has an environment (remove env:, or use"
                + " headers: for a url server)"),
        bad(
            "headers on a command server",
            "mcp_servers:\n  s: {command: [srv], headers: {A: b}}\n",
            "{A",
            "mcp_servers.s.headers: only a url server takes HTTP headers (remove headers:, or"
                + " use env: for a command server)"),
        bad(
            "zero timeout",
            "mcp_servers:\n  s: {command: [srv], timeout: 0s}\n",
            "0s",
            "mcp_servers.s.timeout: must be a positive duration, was PT0S ("
                + Durations.SYNTAX
                + ")"),
        bad(
            "unknown key",
            "mcp_servers:\n  s:\n    url: \"http://127.0.0.1:9/mcp\"\n    timout: 5s\n",
            "timout",
            "mcp_servers.s: unknown key 'timout' (did you mean 'timeout'?)"));
  }

  private static Arguments bad(String name, String config, String needle, String message) {
    return Arguments.of(Named.of(name, new Case(config, needle, message)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badServers")
  void load_badServer_reportsTheKeyAtItsLineAndColumn(Case c) {
    fx.config(c.config());

    assertThat(fx.problems())
        .containsExactly("config.yml:" + at(c.config(), c.needle()) + ": " + c.message());
  }

  @Test
  void load_unsetVariableInServerEnv_reportsItAtTheValue() {
    String config = "mcp_servers:\n  s:\n    command: [srv]\n    env: {TOKEN: \"${env:NOPE}\"}\n";
    fx.config(config);

    assertThat(fx.problems())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("config.yml:" + at(config, "\"${env") + ": ")
        .contains("NOPE is not set");
  }
}
