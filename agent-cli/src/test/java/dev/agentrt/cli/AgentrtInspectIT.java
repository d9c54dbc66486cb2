package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt inspect}: a real child JVM serving the page over a SQLite store, stopped by
 * SIGTERM.
 */
class AgentrtInspectIT {
  @TempDir Path dir;

  Path config() throws Exception {
    Path config = Files.createDirectories(dir.resolve("agent"));
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: " + dir.resolve("runs.db") + "}\n");
    Files.writeString(
        config.resolve("workflows/hello.yml"),
        """
        id: hello
        nodes:
          - {id: start, role: start}
          - {id: greet, kind: transform, template: {greeting: "Hello, {{input.name}}!"}}
          - {id: done, role: exit, output: "{{greet}}"}
        edges:
          - {from: start, to: greet}
          - {from: greet, to: done}
        """);
    return config;
  }

  @Test
  void inspect_servesTheStoresRunsUntilSigterm() throws Exception {
    Path config = config();
    Agentrt.Result run =
        Agentrt.run(
            "run",
            "hello",
            "--input",
            "{\"name\":\"Ada\"}",
            "--config",
            config.toString(),
            "--json");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    String runId = run.stdout().replaceAll("(?s).*\"runId\"\\s*:\\s*\"([^\"]+)\".*", "$1");

    Process p =
        Agentrt.startReading(
            "inspect", "--config", config.toString(), "--port", "0", "--mode", "debug");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern started =
          Pattern.compile(
              "agentrt inspector at (http://127\\.0\\.0\\.1:\\d+/) \\(debug mode\\); Ctrl-C to stop");
      String line;
      Matcher m = null;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        m = started.matcher(line);
        if (m.matches()) break;
      }
      assertThat(m).as(seen.toString()).isNotNull();
      assertThat(m.matches()).as(seen.toString()).isTrue();
      URI base = URI.create(m.group(1));

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> runs =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/runs")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(runs.statusCode()).isEqualTo(200);
      assertThat(runs.body()).contains("\"runId\":\"" + runId + "\"", "\"workflow\":\"hello\"");
      HttpResponse<String> one =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/runs/" + runId)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(one.body()).contains("\"greeting\":\"Hello, Ada!\"");
      HttpResponse<String> page =
          http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).contains("agentrt inspector");

      p.destroy(); // SIGTERM: the shutdown hook closes the server, then the runtime
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void inspect_portInUse_exit2WithTheReasonAndNoTrace() throws Exception {
    Path config = config();
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Agentrt.Result r =
          Agentrt.execute(
              "inspect",
              "--config",
              config.toString(),
              "--port",
              String.valueOf(taken.getLocalPort()));

      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderr())
          .startsWith(
              "agentrt: cannot start the inspector on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .contains("(is the port in use? choose another with --port)")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void inspect_badMode_exit2NamesTheChoices() throws Exception {
    Agentrt.Result r =
        Agentrt.execute("inspect", "--config", config().toString(), "--mode", "verbose");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .startsWith("--mode: unknown inspector mode 'verbose': use 'shipping' or 'debug'");
  }
}
