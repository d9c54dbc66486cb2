package dev.agentrt.inspector.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.inspector.AgentInspector.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspector's HTTP server (the JDK's): the JSON API under {@code /api/}, server-sent events,
 * and the static page. Read-only: every path answers GET (and HEAD) only.
 */
public final class InspectorServer {
  private static final Logger log = LoggerFactory.getLogger(InspectorServer.class);
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String STATIC = "/dev/agentrt/inspector/static";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "txt", "text/plain; charset=utf-8",
          "json", "application/json; charset=utf-8");

  /** How long {@link #close} waits for the event streams to end. */
  static final int STOP_SECONDS = 2;

  private final HttpServer http;
  private final ExecutorService threads;
  private final Views views;
  private final EventHub events;
  private final AgentRuntime.ListenerRegistration registration;
  private final Mode mode;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InspectorServer(
      HttpServer http,
      ExecutorService threads,
      Views views,
      EventHub events,
      AgentRuntime.ListenerRegistration registration,
      Mode mode) {
    this.http = http;
    this.threads = threads;
    this.views = views;
    this.events = events;
    this.registration = registration;
    this.mode = mode;
  }

  /** Binds {@code address} and starts serving {@code runtime}'s runs. */
  public static InspectorServer start(
      AgentRuntime runtime, InetSocketAddress address, @Nullable Mode mode) throws IOException {
    Mode chosen = mode != null ? mode : defaultMode(runtime, System.getenv("AGENTRT_OBS_MODE"));
    Content content = new Content(chosen, runtime.manifests());
    HttpServer http = HttpServer.create(address, 0);
    ExecutorService threads = threads();
    EventHub events = new EventHub(content);
    AgentRuntime.ListenerRegistration registration = runtime.addListener(events);
    InspectorServer server =
        new InspectorServer(
            http, threads, new Views(runtime, content), events, registration, chosen);
    http.setExecutor(threads);
    http.createContext("/", server::handle);
    http.start();
    log.info(
        "agentrt inspector at {} ({} mode)", server.uri(), chosen.name().toLowerCase(Locale.ROOT));
    return server;
  }

  /** {@code AGENTRT_OBS_MODE}, else the configuration's {@code telemetry.mode}, else shipping. */
  static Mode defaultMode(AgentRuntime runtime, @Nullable String env) {
    if (env != null && !env.isBlank()) {
      try {
        return Mode.of(env);
      } catch (IllegalArgumentException e) {
        log.warn("AGENTRT_OBS_MODE={} is neither 'shipping' nor 'debug'; ignored", env);
      }
    }
    var telemetry = runtime.manifests().config().telemetry();
    if (telemetry != null && telemetry.mode() != null) return Mode.of(telemetry.mode());
    return Mode.SHIPPING;
  }

  public URI uri() {
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public Mode mode() {
    return mode;
  }

  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    registration.close();
    // the streams end their responses first: clients see a clean end, not a reset
    events.close(Duration.ofSeconds(STOP_SECONDS));
    http.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendError(exchange, 405, "the inspector is read-only: " + method + " is not allowed");
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) api(exchange, path);
      else staticFile(exchange, path);
    } catch (IOException e) {
      log.debug("inspector: the client went away: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("inspector: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    }
  }

  private void api(HttpExchange exchange, String rawPath) throws IOException {
    String[] parts = rawPath.substring("/api/".length()).split("/", -1);
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    try {
      if (parts.length == 1 && parts[0].equals("runs")) {
        sendJson(exchange, views.runs(query));
      } else if (parts.length == 2 && parts[0].equals("runs")) {
        sendJson(exchange, views.run(decode(parts[1])));
      } else if (parts.length == 3 && parts[0].equals("runs") && parts[2].equals("events")) {
        String runId = decode(parts[1]);
        views.requireRun(runId);
        events.stream(exchange, runId);
      } else if (parts.length == 1 && parts[0].equals("events")) {
        events.stream(exchange, null);
      } else if (parts.length == 3 && parts[0].equals("workflows") && parts[2].equals("graph")) {
        sendJson(exchange, views.graph(decode(parts[1]), query.get("run")));
      } else if (parts.length == 1 && parts[0].equals("registry")) {
        sendJson(exchange, views.registry());
      } else {
        sendError(exchange, 404, "no API path " + rawPath + " (see docs/inspector.md)");
      }
    } catch (ApiException e) {
      sendError(exchange, e.status, e.getMessage());
    }
  }

  private void staticFile(HttpExchange exchange, String rawPath) throws IOException {
    String path = rawPath.equals("/") ? "/index.html" : decode(rawPath);
    if (path.contains("..") || path.contains("\\") || path.contains("//")) {
      sendError(exchange, 404, "no file " + rawPath);
      return;
    }
    try (InputStream in = InspectorServer.class.getResourceAsStream(STATIC + path)) {
      if (in == null) {
        sendError(exchange, 404, "no file " + rawPath);
        return;
      }
      byte[] body = in.readAllBytes();
      String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      exchange
          .getResponseHeaders()
          .set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      send(exchange, 200, body);
    }
  }

  static void sendJson(HttpExchange exchange, JsonNode body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, MAPPER.writeValueAsBytes(body));
  }

  static void sendError(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = MAPPER.createObjectNode().put("error", message);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    send(exchange, status, MAPPER.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return q;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      q.putIfAbsent(k, v);
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Virtual threads where the runtime has them (an event stream holds its thread while it lasts),
   * else a cached pool of daemon threads.
   */
  private static ExecutorService threads() {
    try {
      var h =
          MethodHandles.publicLookup()
              .findStatic(
                  Executors.class,
                  "newVirtualThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class));
      return (ExecutorService) h.invoke();
    } catch (Throwable notThere) {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory factory =
          r -> {
            Thread t = new Thread(r, "agentrt-inspector-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      return Executors.newCachedThreadPool(factory);
    }
  }

  /** A request the API refuses, with its status and a message saying what to change. */
  static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
