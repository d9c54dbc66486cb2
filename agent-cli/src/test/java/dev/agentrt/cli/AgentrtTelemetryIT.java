package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's telemetry, end to end: a child {@code agentrt} exporting OTLP/HTTP to a receiver on
 * 127.0.0.1 in this test. Debug mode exports prompts, completions and tool payloads, redacted and
 * capped; shipping mode never does; an unreachable endpoint costs one warning line.
 */
class AgentrtTelemetryIT {
  static final String KEY = "sk-planted-OBS-3a9f61";

  @TempDir Path dir;
  HttpServer receiver;
  final List<byte[]> traces = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void nodelay() {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  @BeforeEach
  void setUp() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/v1/traces")) traces.add(body);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty Export*ServiceResponse
          }
        });
    receiver.start();
    Path c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n"
            + "  offline:\n"
            + "    provider: scripted\n"
            + "    script: scripts/s.yml\n"
            + "    api_key: ${env:TEST_SCRIPTED_KEY}\n"
            + "checkpoint: {store: memory}\n");
    Files.writeString(c.resolve("prompts/helper.md"), "Help with {{input.topic}}.");
    Files.writeString(
        c.resolve("agents/helper.yml"),
        "name: helper\nmodel: offline\nsystem: prompts/helper.md\n" + "tools: [yaml.parse]\n");
    // the model leaks its key into a tool call and into its answer
    Files.writeString(
        c.resolve("scripts/s.yml"),
        "turns:\n"
            + "  - tool_calls: [{name: yaml.parse, arguments: {text: \"key: "
            + KEY
            + "\"}}]\n"
            + "  - text: \"the key is "
            + KEY
            + "\"\n");
    Files.writeString(
        c.resolve("workflows/ask.yml"),
        """
        id: ask
        nodes:
          - {id: start, role: start}
          - {id: ask, kind: agent, agent: helper}
          - {id: done, role: exit}
        edges:
          - {from: start, to: ask}
          - {from: ask, to: done}
        """);
  }

  @AfterEach
  void tearDown() {
    receiver.stop(0);
  }

  /** Runs the workflow; {@code shutdownTimeout} null for the default. */
  private Agentrt.Result run(String mode, String endpoint, @Nullable String shutdownTimeout) {
    // a topic longer than the 8192-character content cap
    String topic = "t".repeat(9000);
    Map<String, String> env = new HashMap<>();
    if (shutdownTimeout != null) env.put("AGENTRT_OBS_SHUTDOWN_TIMEOUT", shutdownTimeout);
    env.putAll(
        Map.of(
            "AGENTRT_OBS_MODE", mode,
            "OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
            "TEST_SCRIPTED_KEY", KEY));
    return Agentrt.runIn(
        dir, env, "run", "ask", "--json", "--input", "{\"topic\": \"" + topic + "\"}");
  }

  private String exported() {
    StringBuilder sb = new StringBuilder();
    for (byte[] b : traces) sb.append(new String(b, StandardCharsets.UTF_8));
    return sb.toString();
  }

  @Test
  void run_debugMode_exportsContentEventsRedactedAndCapped() {
    // the export is what is tested here, not the bound on waiting for it: wait as long as it takes
    Agentrt.Result r = run("debug", "http://127.0.0.1:" + receiver.getAddress().getPort(), "60s");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    String otlp = exported();
    assertThat(otlp)
        .contains("chat ", "execute_tool yaml.parse", "agentrt.telemetry.mode")
        .contains(
            "gen_ai.content.prompt",
            "gen_ai.content.completion",
            "agentrt.tool.arguments",
            "agentrt.tool.result")
        .contains("Help with ttt", "the key is [REDACTED]", "key: [REDACTED]")
        .contains("more chars]")
        .doesNotContain(KEY);
  }

  @Test
  void run_shippingMode_exportsNoContent() {
    Agentrt.Result r =
        run("shipping", "http://127.0.0.1:" + receiver.getAddress().getPort(), "60s");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    String otlp = exported();
    assertThat(otlp)
        .contains("chat ", "execute_tool yaml.parse")
        .doesNotContain(
            "gen_ai.content.prompt",
            "gen_ai.content.completion",
            "agentrt.tool.arguments",
            "agentrt.tool.result",
            "Help with",
            "the key is",
            KEY);
  }

  @Test
  void run_endpointPortClosed_printsOneWarningLineAndNoStackTrace() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }

    Agentrt.Result r = run("debug", "http://127.0.0.1:" + closed, null);

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("\"status\"");
    assertThat(r.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("WARN ")
        .contains("telemetry: ", "OTEL_EXPORTER_OTLP_ENDPOINT", "AGENTRT_OBS_SHUTDOWN_TIMEOUT")
        .doesNotContain(KEY);
  }
}
