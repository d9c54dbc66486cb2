package dev.agentrt.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A server on 127.0.0.1 answering POSTs to one path from a queue of replies, keeping the JSON
 * requests and their headers (for provider wire-format tests).
 */
final class StubHttp implements AutoCloseable {
  record Reply(int status, String contentType, String body) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
  final List<Map<String, List<String>>> headers = Collections.synchronizedList(new ArrayList<>());

  /**
   * A stub as strict as the real service about tool names: {@code rules} looks at each request and
   * returns the provider's error reply for an invalid one, or null.
   */
  StubHttp(String path, java.util.function.Function<JsonNode, Reply> rules) throws IOException {
    this.rules = rules;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(path, this::handle);
    server.start();
  }

  private final java.util.function.Function<JsonNode, Reply> rules;

  /** Anthropic's rule for a tool name. */
  static final java.util.regex.Pattern ANTHROPIC_NAME =
      java.util.regex.Pattern.compile("^[a-zA-Z0-9_-]{1,128}$");

  /**
   * Anthropic's HTTP 400 for a tool name offered in {@code tools} or used in a {@code tool_use}
   * block of the messages that breaks {@link #ANTHROPIC_NAME}; null when every name is valid.
   */
  static Reply anthropicRules(JsonNode request) {
    JsonNode tools = request.path("tools");
    for (int i = 0; i < tools.size(); i++) {
      Reply r = anthropicInvalid("tools." + i + ".custom.name", tools.get(i).path("name").asText());
      if (r != null) return r;
    }
    JsonNode messages = request.path("messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode blocks = messages.get(i).path("content");
      for (int j = 0; j < blocks.size(); j++) {
        if (!"tool_use".equals(blocks.get(j).path("type").asText())) continue;
        Reply r =
            anthropicInvalid(
                "messages." + i + ".content." + j + ".tool_use.name",
                blocks.get(j).path("name").asText());
        if (r != null) return r;
      }
    }
    return null;
  }

  private static Reply anthropicInvalid(String field, String name) {
    if (ANTHROPIC_NAME.matcher(name).matches()) return null;
    com.fasterxml.jackson.databind.node.ObjectNode body =
        StubOpenAi.JSON.createObjectNode().put("type", "error");
    body.putObject("error")
        .put("type", "invalid_request_error")
        .put("message", field + ": String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
    return new Reply(400, "application/json", body.toString());
  }

  /**
   * Ollama itself passes tool names to the model's template unchecked; the stub holds it to the
   * OpenAI-compatible rule (models are trained on such names) and answers as Ollama answers a bad
   * request: HTTP 400 with {@code {"error": "..."}}.
   */
  static Reply ollamaRules(JsonNode request) {
    List<String> names = new ArrayList<>();
    for (JsonNode t : request.path("tools")) names.add(t.path("function").path("name").asText());
    for (JsonNode m : request.path("messages")) {
      for (JsonNode c : m.path("tool_calls")) names.add(c.path("function").path("name").asText());
    }
    for (String n : names) {
      if (!StubOpenAi.NAME.matcher(n).matches()) {
        return new Reply(
            400,
            "application/json",
            StubOpenAi.JSON
                .createObjectNode()
                .put("error", "invalid tool name '" + n + "': must match ^[a-zA-Z0-9_-]{1,64}$")
                .toString());
      }
    }
    return null;
  }

  private void handle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    JsonNode request = StubOpenAi.JSON.readTree(in);
    requests.add(request);
    headers.add(Map.copyOf(ex.getRequestHeaders()));
    Reply r = rules.apply(request);
    if (r == null) r = replies.poll();
    if (r == null)
      r = new Reply(500, "application/json", "{\"error\":{\"message\":\"stub: no reply queued\"}}");
    byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", r.contentType());
    ex.sendResponseHeaders(r.status(), out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  /** {@code http://127.0.0.1:<port>}, no trailing slash. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  StubHttp json(String body) {
    replies.add(new Reply(200, "application/json", body));
    return this;
  }

  /** A {@code text/event-stream} reply; {@code events} are {event name, data JSON} pairs. */
  StubHttp sse(String[]... events) {
    StringBuilder sb = new StringBuilder();
    for (String[] e : events)
      sb.append("event: ").append(e[0]).append("\ndata: ").append(e[1]).append("\n\n");
    replies.add(new Reply(200, "text/event-stream", sb.toString()));
    return this;
  }

  /** A newline-delimited JSON reply ({@code application/x-ndjson}), one line per object. */
  StubHttp ndjson(String... lines) {
    replies.add(new Reply(200, "application/x-ndjson", String.join("\n", lines) + "\n"));
    return this;
  }

  /** The first value of a request header (names are case-insensitive on the wire). */
  String header(int request, String name) {
    for (Map.Entry<String, List<String>> e : headers.get(request).entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
