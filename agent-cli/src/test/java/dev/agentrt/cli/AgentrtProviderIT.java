package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt run} against an OpenAI-compatible server on 127.0.0.1 that fails every call with
 * HTTP 500 and echoes the API key in its error body, as a user's first run with a hosted model may.
 */
class AgentrtProviderIT {
  static final String SECRET = "sk-cli-planted-9d2e71";

  @TempDir Path dir;
  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  Path c;

  @BeforeEach
  void setUp() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        ex -> {
          ex.getRequestBody().readAllBytes();
          requests.incrementAndGet();
          byte[] out =
              ("{\"error\":{\"message\":\"upstream failed for key "
                      + SECRET
                      + "\",\"type\":\"server_error\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(500, out.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
    c = dir.resolve(".agent");
    Files.createDirectories(c.resolve("agents"));
    Files.createDirectories(c.resolve("workflows"));
    Files.writeString(c.resolve("key.txt"), SECRET);
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  default:\n    provider: openai\n    model: gpt-test\n"
            + "    api_key: ${file:key.txt}\n    base_url: http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/v1\n"
            + "    max_retries: 1\n");
    Files.writeString(c.resolve("agents/helper.yml"), "name: helper\nmodel: default\n");
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
    server.stop(0);
  }

  @Test
  void run_providerFailsAfterRetry_printsOneLinePerRetryAndNoStackTraceOrKey() {
    Agentrt.Result r =
        Agentrt.run("run", "ask", "--config", c.toString(), "--input", "{\"q\": \"hi\"}");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(requests.get()).isEqualTo(2);
    assertThat(r.stderr().lines().toList())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("WARN ")
        .endsWith(
            "model 'default' (openai gpt-test): HTTP 500 on attempt 1 of 2; retrying in 500 ms");
    assertThat(r.stdout())
        .contains(
            "model 'default' (openai gpt-test) call failed: HTTP 500: upstream failed for key ****");
    assertThat(r.stdout() + r.stderr())
        .doesNotContain(SECRET)
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void run_providerFailsWithVerbose_printsStackTracesWithoutKey() {
    Agentrt.Result r =
        Agentrt.run(
            "run", "ask", "--config", c.toString(), "--input", "{\"q\": \"hi\"}", "--verbose");

    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("DEBUG ")
        .contains("\tat ")
        .contains(
            "model 'default' (openai gpt-test): HTTP 500 on attempt 1 of 2; retrying in 500 ms");
    assertThat(r.stdout() + r.stderr()).doesNotContain(SECRET);
  }
}
