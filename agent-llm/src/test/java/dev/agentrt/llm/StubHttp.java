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

  StubHttp(String path) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(path, ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      requests.add(StubOpenAi.JSON.readTree(in));
      headers.add(Map.copyOf(ex.getRequestHeaders()));
      Reply r = replies.poll();
      if (r == null) r = new Reply(500, "application/json", "{\"error\":{\"message\":\"stub: no reply queued\"}}");
      byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", r.contentType());
      ex.sendResponseHeaders(r.status(), out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
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
    for (String[] e : events) sb.append("event: ").append(e[0]).append("\ndata: ").append(e[1]).append("\n\n");
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
