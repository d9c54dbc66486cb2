package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code http} tool against a real server on 127.0.0.1 (allowlisted explicitly), and hostile
 * URLs, redirects and responses, each refused with its whole message asserted. Host names resolve
 * through a fake resolver, so nothing leaves 127.0.0.1.
 */
class HttpToolTest {
  static HttpServer server;
  static int port;
  static String base;
  static String allowed;
  static ToolBus bus;
  static Path ws;
  static final Map<String, String> seen = new ConcurrentHashMap<>();

  static final Map<String, String> DNS =
      Map.of(
          "localhost", "127.0.0.1",
          "allowed.test", "93.184.216.34",
          "rebind.wild.test", "10.0.0.5",
          "meta.wild.test", "169.254.169.254",
          "v6.wild.test", "fd00::1",
          "cgnat.wild.test", "100.64.0.1",
          "zero.wild.test", "0.0.0.0",
          "multi.wild.test", "172.16.0.1");

  static InetAddress[] resolve(String host) throws UnknownHostException {
    String ip = DNS.get(host);
    if (ip == null) throw new UnknownHostException(host);
    return new InetAddress[] {InetAddress.getByName(ip)};
  }

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    port = server.getAddress().getPort();
    base = "http://127.0.0.1:" + port;
    server.createContext(
        "/json",
        x -> {
          seen.put("key", String.valueOf(x.getRequestHeaders().getFirst("Idempotency-Key")));
          send(x, 200, "application/json", "{\"hello\":\"world\"}");
        });
    server.createContext(
        "/trace",
        x -> {
          seen.put("traceparent", String.valueOf(x.getRequestHeaders().getFirst("traceparent")));
          send(x, 200, "text/plain", "ok");
        });
    server.createContext(
        "/echo",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          send(
              x,
              201,
              "text/plain; charset=utf-8",
              x.getRequestMethod()
                  + " "
                  + body
                  + " key="
                  + x.getRequestHeaders().getFirst("Idempotency-Key")
                  + " x="
                  + x.getRequestHeaders().getFirst("X-Trace"));
        });
    redirect("/redirect-local", 302, "/json");
    redirect("/see-other", 303, "/echo");
    redirect("/redirect-evil", 302, "http://evil.test/");
    redirect("/redirect-file", 302, "file:///etc/passwd");
    redirect("/redirect-ftp", 301, "ftp://127.0.0.1:" + "21/");
    redirect("/redirect-v6", 307, "http://[::1]:PORT/json");
    redirect("/redirect-decimal", 308, "http://2130706433:PORT/json");
    redirect("/redirect-https", 302, "https://127.0.0.1:PORT/json");
    redirect("/redirect-localhost", 302, "http://localhost:1/json");
    redirect("/redirect-meta", 302, "http://meta.wild.test/latest/meta-data/");
    redirect("/redirect-userinfo", 302, "http://127.0.0.1:PORT@evil.test/");
    redirect("/redirect-loop", 302, "/redirect-loop");
    server.createContext(
        "/big",
        x -> {
          x.getResponseHeaders().set("Content-Type", "text/plain");
          x.sendResponseHeaders(200, 0); // chunked: no Content-Length
          try (OutputStream o = x.getResponseBody()) {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 40; i++) o.write(chunk);
          } catch (IOException e) {
            // the client stopped reading, as it should
          }
        });
    server.createContext(
        "/big-declared",
        x -> {
          x.sendResponseHeaders(200, 2_000_000);
          try (OutputStream o = x.getResponseBody()) {
            o.write(new byte[1024]);
          } catch (IOException e) {
            // the client closed the connection
          }
        });
    server.start();
    allowed = "127.0.0.1:" + port + ", allowed.test, *.wild.test, localhost";
    ws = Files.createTempDirectory("agentrt-http").toRealPath();
    bus =
        ToolBus.builder()
            .discovery(false)
            .tool(new HttpTool(HttpToolTest::resolve))
            .policy(
                ToolPolicy.builder()
                    .workspace(ws)
                    .httpAllow(
                        List.of("127.0.0.1:" + port, "allowed.test", "*.wild.test", "localhost"))
                    .build())
            .build();
  }

  static void redirect(String path, int status, String location) {
    server.createContext(
        path,
        x -> {
          x.getResponseHeaders().set("Location", location.replace("PORT", String.valueOf(port)));
          x.sendResponseHeaders(status, -1);
          x.close();
        });
  }

  static void send(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop(0);
    bus.close();
    TestSupport.deleteTree(ws);
  }

  static ToolResult get(String url) {
    return bus.call(
        new ToolInvocation(
            "http", args("url", url), null, null, "run-1", "fetch#1", 0, null, () -> false));
  }

  // ------------------------------------------------------------------ real requests

  @Test
  void get_allowlistedLocalServer_returnsStatusHeadersBodyAndJson() {
    ObjectNode v = (ObjectNode) value(get(base + "/json"));

    assertThat(v.get("status").asInt()).isEqualTo(200);
    assertThat(v.get("url").asText()).isEqualTo(base + "/json");
    assertThat(v.get("headers").get("content-type").asText()).isEqualTo("application/json");
    assertThat(v.get("body").asText()).isEqualTo("{\"hello\":\"world\"}");
    assertThat(v.get("json")).isEqualTo(TestSupport.json("{'hello': 'world'}"));
    assertThat(seen.get("key")).isEqualTo("run-1:fetch#1:0");
  }

  @Test
  void post_withBodyAndHeader_sendsThemWithIdempotencyKey() {
    ToolResult r =
        bus.call(
            new ToolInvocation(
                "http",
                args(
                    "url",
                    base + "/echo",
                    "method",
                    "POST",
                    "body",
                    "hi",
                    "headers",
                    Map.of("X-Trace", "t1")),
                null,
                null,
                "run-9",
                "post#1",
                2,
                null,
                () -> false));

    assertThat(value(r).get("status").asInt()).isEqualTo(201);
    assertThat(value(r).get("body").asText()).isEqualTo("POST hi key=run-9:post#1:2 x=t1");
  }

  @Test
  void get_redirectWithinAllowlist_isFollowed() {
    ObjectNode v = (ObjectNode) value(get(base + "/redirect-local"));

    assertThat(v.get("status").asInt()).isEqualTo(200);
    assertThat(v.get("url").asText()).isEqualTo(base + "/json");
  }

  @Test
  void post_seeOtherRedirect_becomesGetWithoutBody() {
    ToolResult r =
        bus.call(
            ToolInvocation.of(
                "http", args("url", base + "/see-other", "method", "POST", "body", "hi")));

    assertThat(value(r).get("body").asText()).startsWith("GET  key=");
  }

  // ------------------------------------------------------------------ hostile

  static String refused(String url, String why) {
    return "url '" + url + "' is refused: " + why;
  }

  static String notListed(String host) {
    return "host '" + host + "' is not in policy.http_allow (allowed: " + allowed + ")";
  }

  static final String LITERAL =
      "is an IP address literal (IP literals are refused unless policy.http_allow lists them)";

  static String resolvesTo(String host, String ip, String kind) {
    return "host '"
        + host
        + "' resolves to "
        + ip
        + ", a "
        + kind
        + " address (such addresses are refused unless policy.http_allow lists the address itself)";
  }

  static String redirected(String from, String message) {
    return "redirect from '" + base + from + "' refused: " + message;
  }

  static Arguments c(String name, String url, String message) {
    return Arguments.of(name, url, message);
  }

  static Stream<Arguments> hostile() {
    List<Arguments> l = new ArrayList<>();
    l.add(
        c(
            "userinfo: allowed host as user",
            "http://allowed.test@evil.test/",
            refused(
                "http://allowed.test@evil.test/",
                "it carries user info before '@' (credentials in URLs are not allowed; the host would be 'evil.test')")));
    l.add(
        c(
            "userinfo: user and password",
            "http://allowed.test:pw@evil.test/",
            refused(
                "http://allowed.test:pw@evil.test/",
                "it carries user info before '@' (credentials in URLs are not allowed; the host would be 'evil.test')")));
    l.add(
        c(
            "userinfo: allowed local server as user",
            base + "@evil.test/",
            refused(
                base + "@evil.test/",
                "it carries user info before '@' (credentials in URLs are not allowed; the host would be 'evil.test')")));
    l.add(
        c(
            "fragment: allowed host after #@",
            "http://evil.test#@allowed.test/",
            refused("http://evil.test#@allowed.test/", notListed("evil.test"))));
    l.add(
        c(
            "query: allowed host in query",
            "http://evil.test/?@allowed.test",
            refused("http://evil.test/?@allowed.test", notListed("evil.test"))));
    l.add(
        c(
            "suffix: allowed host as subdomain",
            "http://allowed.test.evil.test/",
            refused("http://allowed.test.evil.test/", notListed("allowed.test.evil.test"))));
    l.add(
        c(
            "prefix: allowed name inside another",
            "http://evilallowed.test/",
            refused("http://evilallowed.test/", notListed("evilallowed.test"))));
    l.add(
        c(
            "backslash before @",
            "http://allowed.test\\@evil.test/",
            refused(
                "http://allowed.test\\@evil.test/",
                "it is not a valid URL (Illegal character in authority at index 7)")));
    l.add(
        c(
            "upper-case scheme and host",
            "HTTP://EVIL.TEST/",
            refused("HTTP://EVIL.TEST/", notListed("evil.test"))));
    l.add(
        c(
            "trailing dot",
            "http://allowed.test./",
            refused("http://allowed.test./", "host 'allowed.test.' ends with a dot (remove it)")));
    l.add(
        c(
            "homograph with Cyrillic a",
            "http://\u0430llowed.test/",
            refused(
                "http://\\u0430llowed.test/",
                "host '\\u0430llowed.test' is not plain ASCII (write international names in punycode, xn--...)")));
    l.add(
        c(
            "port out of range",
            "http://allowed.test:99999/",
            refused("http://allowed.test:99999/", "port '99999' is not a number from 1 to 65535")));
    l.add(
        c(
            "allowed host, other port",
            "http://127.0.0.1:1/",
            refused("http://127.0.0.1:1/", "host '127.0.0.1' " + LITERAL)));
    l.add(
        c(
            "IPv4 decimal",
            "http://2130706433/",
            refused("http://2130706433/", "host '2130706433' " + LITERAL)));
    l.add(
        c(
            "IPv4 hex",
            "http://0x7f000001/",
            refused("http://0x7f000001/", "host '0x7f000001' " + LITERAL)));
    l.add(
        c(
            "IPv4 octal",
            "http://0177.0.0.1/",
            refused("http://0177.0.0.1/", "host '0177.0.0.1' " + LITERAL)));
    l.add(
        c("IPv4 short form", "http://127.1/", refused("http://127.1/", "host '127.1' " + LITERAL)));
    l.add(
        c(
            "IPv4 dotted, port not listed",
            "http://127.0.0.1/",
            refused("http://127.0.0.1/", "host '127.0.0.1' " + LITERAL)));
    l.add(
        c(
            "IPv4 mixed hex dotted",
            "http://0x7f.0.0.1/",
            refused("http://0x7f.0.0.1/", "host '0x7f.0.0.1' " + LITERAL)));
    l.add(c("IPv6 loopback", "http://[::1]/", refused("http://[::1]/", "host '[::1]' " + LITERAL)));
    l.add(
        c(
            "IPv6 loopback with port",
            "http://[0:0:0:0:0:0:0:1]:" + port + "/",
            refused(
                "http://[0:0:0:0:0:0:0:1]:" + port + "/", "host '[0:0:0:0:0:0:0:1]' " + LITERAL)));
    l.add(
        c(
            "IPv4-mapped IPv6",
            "http://[::ffff:127.0.0.1]/",
            refused("http://[::ffff:127.0.0.1]/", "host '[::ffff:127.0.0.1]' " + LITERAL)));
    l.add(c("IPv6 unspecified", "http://[::]/", refused("http://[::]/", "host '[::]' " + LITERAL)));
    l.add(
        c(
            "localhost listed by name",
            "http://localhost/",
            refused("http://localhost/", resolvesTo("localhost", "127.0.0.1", "loopback"))));
    l.add(
        c(
            "name resolving to private",
            "http://rebind.wild.test/",
            refused(
                "http://rebind.wild.test/",
                resolvesTo("rebind.wild.test", "10.0.0.5", "private"))));
    l.add(
        c(
            "name resolving to 172.16/12",
            "http://multi.wild.test/",
            refused(
                "http://multi.wild.test/",
                resolvesTo("multi.wild.test", "172.16.0.1", "private"))));
    l.add(
        c(
            "cloud metadata",
            "http://meta.wild.test/latest/meta-data/",
            refused(
                "http://meta.wild.test/latest/meta-data/",
                resolvesTo("meta.wild.test", "169.254.169.254", "link-local"))));
    l.add(
        c(
            "unique-local IPv6",
            "http://v6.wild.test/",
            refused(
                "http://v6.wild.test/",
                resolvesTo("v6.wild.test", "fd00:0:0:0:0:0:0:1", "unique-local"))));
    l.add(
        c(
            "carrier-grade NAT",
            "http://cgnat.wild.test/",
            refused(
                "http://cgnat.wild.test/",
                resolvesTo("cgnat.wild.test", "100.64.0.1", "carrier-grade NAT"))));
    l.add(
        c(
            "unspecified address",
            "http://zero.wild.test/",
            refused(
                "http://zero.wild.test/", resolvesTo("zero.wild.test", "0.0.0.0", "unspecified"))));
    l.add(
        c(
            "unresolvable",
            "http://nope.wild.test/",
            refused("http://nope.wild.test/", "host 'nope.wild.test' does not resolve")));
    l.add(
        c(
            "scheme file",
            "file:///etc/passwd",
            refused("file:///etc/passwd", "scheme 'file' is not allowed (use http or https)")));
    l.add(
        c(
            "scheme ftp",
            "ftp://allowed.test/x",
            refused("ftp://allowed.test/x", "scheme 'ftp' is not allowed (use http or https)")));
    l.add(
        c(
            "scheme gopher",
            "gopher://allowed.test/",
            refused(
                "gopher://allowed.test/", "scheme 'gopher' is not allowed (use http or https)")));
    l.add(
        c(
            "scheme jar",
            "jar:http://allowed.test/x.jar!/",
            refused(
                "jar:http://allowed.test/x.jar!/",
                "scheme 'jar' is not allowed (use http or https)")));
    l.add(
        c(
            "no scheme",
            "//allowed.test/x",
            refused("//allowed.test/x", "it has no scheme (write http:// or https://)")));
    l.add(c("empty host", "http:///etc/passwd", refused("http:///etc/passwd", "it has no host")));
    l.add(
        c(
            "redirect to a host not allowed",
            base + "/redirect-evil",
            redirected("/redirect-evil", refused("http://evil.test/", notListed("evil.test")))));
    l.add(
        c(
            "redirect to file:",
            base + "/redirect-file",
            redirected(
                "/redirect-file",
                refused(
                    "file:///etc/passwd", "scheme 'file' is not allowed (use http or https)"))));
    l.add(
        c(
            "redirect to ftp:",
            base + "/redirect-ftp",
            redirected(
                "/redirect-ftp",
                refused(
                    "ftp://127.0.0.1:21/", "scheme 'ftp' is not allowed (use http or https)"))));
    l.add(
        c(
            "redirect to IPv6 loopback",
            base + "/redirect-v6",
            redirected(
                "/redirect-v6",
                refused("http://[::1]:" + port + "/json", "host '[::1]' " + LITERAL))));
    l.add(
        c(
            "redirect to decimal IP",
            base + "/redirect-decimal",
            redirected(
                "/redirect-decimal",
                refused("http://2130706433:" + port + "/json", "host '2130706433' " + LITERAL))));
    l.add(
        c(
            "redirect to localhost on another port",
            base + "/redirect-localhost",
            redirected(
                "/redirect-localhost",
                refused(
                    "http://localhost:1/json", resolvesTo("localhost", "127.0.0.1", "loopback")))));
    l.add(
        c(
            "redirect to cloud metadata",
            base + "/redirect-meta",
            redirected(
                "/redirect-meta",
                refused(
                    "http://meta.wild.test/latest/meta-data/",
                    resolvesTo("meta.wild.test", "169.254.169.254", "link-local")))));
    l.add(
        c(
            "redirect with userinfo",
            base + "/redirect-userinfo",
            redirected(
                "/redirect-userinfo",
                refused(
                    "http://127.0.0.1:" + port + "@evil.test/",
                    "it carries user info before '@' (credentials in URLs are not allowed; the host would be 'evil.test')"))));
    l.add(
        c(
            "redirect changing scheme",
            base + "/redirect-https",
            "redirect from '"
                + base
                + "/redirect-https' to 'https://127.0.0.1:"
                + port
                + "/json' is refused: it changes the scheme from http to https (call the new URL yourself if it is intended)"));
    l.add(
        c(
            "redirect loop",
            base + "/redirect-loop",
            "'"
                + base
                + "/redirect-loop' redirected more than 5 times (last to '/redirect-loop')"));
    l.add(
        c(
            "oversized chunked response",
            base + "/big",
            "response from '"
                + base
                + "/big' is refused: its body is larger than "
                + "the limit of 1048576 bytes; raise policy.tools.http.max_response_bytes in config.yml to allow it"));
    l.add(
        c(
            "oversized declared response",
            base + "/big-declared",
            "response from '"
                + base
                + "/big-declared' is refused: its body "
                + "is larger than the limit of 1048576 bytes (Content-Length 2000000); raise policy.tools.http.max_response_bytes in config.yml to allow it"));
    return l.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void get_hostileUrl_isRefusedWithClearMessage(String name, String url, String message) {
    assertThat(failure(get(url))).isEqualTo(message);
  }

  @Test
  void hostileCases_countAtLeastTwenty() {
    assertThat(hostile().count()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void get_headerWithLineBreak_isRefused() {
    ToolResult r =
        bus.call(
            ToolInvocation.of(
                "http",
                args("url", base + "/json", "headers", Map.of("X-A", "1\r\nHost: evil.test"))));

    assertThat(failure(r)).isEqualTo("header 'X-A' has a line break or NUL in its value");
  }

  @Test
  void get_hostHeader_isRefused() {
    ToolResult r =
        bus.call(
            ToolInvocation.of(
                "http", args("url", base + "/json", "headers", Map.of("Host", "evil.test"))));

    assertThat(failure(r)).isEqualTo("header 'Host' may not be set (the tool sets it)");
  }

  @Test
  void call_methodOutsideEnum_isInvalid() {
    ToolResult r =
        bus.call(ToolInvocation.of("http", args("url", base + "/json", "method", "TRACE")));

    assertThat(failure(r))
        .isEqualTo(
            "tool 'http': invalid arguments: /method: does not have a value in the enumeration "
                + "[\"GET\", \"POST\", \"PUT\", \"DELETE\"]");
  }

  @Test
  void call_withTracing_sendsTraceparentOfTheExecuteToolSpan() throws IOException {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build();
        ToolBus traced =
            ToolBus.builder()
                .discovery(false)
                .tool(new HttpTool(HttpToolTest::resolve))
                .openTelemetry(otel)
                .policy(
                    ToolPolicy.builder()
                        .workspace(ws)
                        .httpAllow(List.of("127.0.0.1:" + port))
                        .build())
                .build()) {
      ObjectNode a = args();
      a.put("url", base + "/trace");
      assertThat(traced.call(ToolInvocation.of("http", a))).isInstanceOf(ToolResult.Success.class);

      SpanData span = spans.getFinishedSpanItems().get(0);
      assertThat(span.getName()).isEqualTo("execute_tool http");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
          .isEqualTo("http");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
          .isEqualTo("execute_tool");
      assertThat(seen.get("traceparent"))
          .isEqualTo(
              "00-"
                  + span.getTraceId()
                  + "-"
                  + span.getSpanId()
                  + "-"
                  + span.getSpanContext().getTraceFlags().asHex());
    }
  }
}
