package dev.agentrt.tools.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code http}: one HTTP request to an allowlisted host. Redirects are followed by hand, each
 * target checked like the first URL; a redirect may not change the scheme. Sends the call's
 * idempotency key as {@code Idempotency-Key}.
 */
public final class HttpTool implements Tool {
  static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
  static final int DEFAULT_MAX_REDIRECTS = 5;
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REFUSED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "transfer-encoding",
          "upgrade",
          "expect",
          "idempotency-key",
          "proxy-authorization",
          "te",
          "trailer");

  enum Method {
    @JsonProperty("GET")
    GET,
    @JsonProperty("POST")
    POST,
    @JsonProperty("PUT")
    PUT,
    @JsonProperty("DELETE")
    DELETE
  }

  record HttpArgs(
      @JsonPropertyDescription("http or https URL on a host listed in policy.http_allow")
          String url,
      @JsonPropertyDescription("GET (default), POST, PUT or DELETE") @Nullable Method method,
      @JsonPropertyDescription("Request headers by name") @Nullable Map<String, String> headers,
      @JsonPropertyDescription("Request body (UTF-8 text), for POST and PUT")
          @Nullable String body) {}

  private static final ToolDescriptor DESCRIPTOR =
      new ToolDescriptor(
          "http",
          "Sends one HTTP request (GET, POST, PUT or DELETE) to a host allowed by the policy and returns status, headers and body.",
          ToolSchemas.of(HttpArgs.class),
          Set.of("net"),
          Effect.NON_IDEMPOTENT,
          List.of("web"));

  private final HostGuard.Resolver resolver;
  private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

  public HttpTool() {
    this(InetAddress::getAllByName);
  }

  HttpTool(HostGuard.Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext ctx)
      throws IOException, InterruptedException {
    HttpArgs a = call.argumentsAs(HttpArgs.class);
    JsonNode settings = ctx.settings();
    Duration connect;
    Duration read;
    try {
      connect = duration(settings, "connect_timeout", DEFAULT_CONNECT_TIMEOUT);
      read = duration(settings, "read_timeout", DEFAULT_READ_TIMEOUT);
    } catch (IllegalArgumentException e) {
      return ToolResult.failure(e.getMessage());
    }
    int maxBytes =
        FsTools.intSetting(ctx, "http", "max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES);
    int maxRedirects =
        settings.has("max_redirects")
            ? Math.max(0, settings.path("max_redirects").asInt())
            : DEFAULT_MAX_REDIRECTS;
    Method method = a.method() == null ? Method.GET : a.method();
    if (a.headers() != null) {
      for (Map.Entry<String, String> h : a.headers().entrySet()) {
        String n = h.getKey().toLowerCase(Locale.ROOT);
        if (REFUSED_HEADERS.contains(n))
          return ToolResult.failure(
              "header '" + h.getKey() + "' may not be set (the tool sets it)");
        if (!h.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
          return ToolResult.failure(
              "header name '" + Sandbox.show(h.getKey()) + "' is not a valid HTTP header name");
        }
        if (h.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          return ToolResult.failure(
              "header '" + h.getKey() + "' has a line break or NUL in its value");
        }
      }
    }
    HostGuard guard = new HostGuard(ctx.httpAllow(), resolver);
    URI uri;
    try {
      uri = guard.check(a.url());
    } catch (HostGuard.Refused e) {
      return ToolResult.failure(e.getMessage());
    }
    HttpClient client =
        clients.computeIfAbsent(
            connect,
            d ->
                HttpClient.newBuilder()
                    .connectTimeout(d)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build());
    String body = a.body();
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder rb =
          HttpRequest.newBuilder(uri)
              .timeout(read)
              .header("Idempotency-Key", call.idempotencyKey());
      if (a.headers() != null) a.headers().forEach(rb::header);
      // the caller's trace continues at the server (W3C traceparent), when a span is current
      W3CTraceContextPropagator.getInstance()
          .inject(Context.current(), rb, HttpRequest.Builder::setHeader);
      HttpRequest.BodyPublisher pub =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
      rb.method(method.name(), pub);
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpConnectTimeoutException e) {
        return ToolResult.failure(
            "connecting to '"
                + Sandbox.show(uri.toString())
                + "' timed out after "
                + human(connect)
                + " (raise policy.tools.http.connect_timeout)");
      } catch (HttpTimeoutException e) {
        return ToolResult.failure(
            "'"
                + Sandbox.show(uri.toString())
                + "' sent no response within "
                + human(read)
                + " (raise policy.tools.http.read_timeout)");
      } catch (IOException e) {
        return ToolResult.failure(
            "request to '"
                + Sandbox.show(uri.toString())
                + "' failed: "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      } catch (IllegalArgumentException e) {
        return ToolResult.failure(
            "request to '" + Sandbox.show(uri.toString()) + "' is not valid: " + e.getMessage());
      }
      int status = resp.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        resp.body().close();
        String location = resp.headers().firstValue("location").orElse(null);
        if (location == null) return result(uri, resp, new byte[0]);
        if (hop >= maxRedirects) {
          return ToolResult.failure(
              "'"
                  + Sandbox.show(a.url())
                  + "' redirected more than "
                  + maxRedirects
                  + " times (last to '"
                  + Sandbox.show(location)
                  + "')");
        }
        URI next;
        try {
          next = uri.resolve(new URI(location));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          return ToolResult.failure(
              "redirect from '"
                  + Sandbox.show(uri.toString())
                  + "' to '"
                  + Sandbox.show(location)
                  + "' is refused: it is not a valid URL");
        }
        try {
          guard.check(next, Sandbox.show(next.toString()));
        } catch (HostGuard.Refused e) {
          return ToolResult.failure(
              "redirect from '" + Sandbox.show(uri.toString()) + "' refused: " + e.getMessage());
        }
        if (!next.getScheme().equalsIgnoreCase(uri.getScheme())) {
          return ToolResult.failure(
              "redirect from '"
                  + Sandbox.show(uri.toString())
                  + "' to '"
                  + Sandbox.show(next.toString())
                  + "' is refused: it changes the scheme from "
                  + uri.getScheme()
                  + " to "
                  + next.getScheme()
                  + " (call the new URL yourself if it is intended)");
        }
        if (status == 303 || ((status == 301 || status == 302) && method == Method.POST)) {
          method = Method.GET;
          body = null;
        }
        uri = next;
        continue;
      }
      long declared = resp.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > maxBytes) {
        resp.body().close();
        return tooLarge(uri, maxBytes, " (Content-Length " + declared + ")");
      }
      byte[] bytes;
      try (InputStream in = resp.body()) {
        bytes = in.readNBytes(maxBytes + 1);
      }
      if (bytes.length > maxBytes) return tooLarge(uri, maxBytes, "");
      return result(uri, resp, bytes);
    }
  }

  private static ToolResult tooLarge(URI uri, int max, String what) {
    return ToolResult.failure(
        "response from '"
            + Sandbox.show(uri.toString())
            + "' is refused: its body is larger than the limit of "
            + max
            + " bytes"
            + what
            + "; raise policy.tools.http.max_response_bytes in config.yml to allow it");
  }

  private static ToolResult result(URI uri, HttpResponse<?> resp, byte[] bytes) {
    ObjectNode o = FsTools.NODES.objectNode();
    o.put("status", resp.statusCode());
    o.put("url", uri.toString());
    ObjectNode headers = o.putObject("headers");
    Map<String, List<String>> sorted = new TreeMap<>(resp.headers().map());
    sorted.forEach(
        (k, v) -> {
          if (!k.startsWith(":")) headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v));
        });
    String type = resp.headers().firstValue("content-type").orElse("");
    Charset cs = charset(type);
    String text = new String(bytes, cs);
    o.put("body", text);
    if (type.toLowerCase(Locale.ROOT).contains("json") && !text.isBlank()) {
      try {
        o.set("json", JSON.readTree(text));
      } catch (IOException e) {
        // not JSON after all: the text is there
      }
    }
    return ToolResult.success(o);
  }

  private static Charset charset(String contentType) {
    for (String part : contentType.split(";")) {
      String p = part.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        try {
          return Charset.forName(p.substring(8).replace("\"", ""));
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static Duration duration(JsonNode settings, String key, Duration dflt) {
    JsonNode v = settings.get(key);
    if (v == null) return dflt;
    try {
      return Durations.parsePositive(v.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("policy.tools.http." + key + ": " + e.getMessage(), e);
    }
  }

  static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
