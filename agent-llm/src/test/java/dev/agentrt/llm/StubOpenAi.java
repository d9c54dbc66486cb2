package dev.agentrt.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A server on 127.0.0.1 speaking the OpenAI chat-completions wire format from a queue of replies.
 */
final class StubOpenAi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  record Reply(int status, String body, String contentType) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
  final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

  StubOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          requests.add(JSON.readTree(in));
          authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          Reply r = rejectInvalidNames(requests.get(requests.size() - 1));
          if (r == null) r = replies.poll();
          if (r == null)
            r =
                new Reply(
                    500, "{\"error\":{\"message\":\"stub: no reply queued\"}}", "application/json");
          byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", r.contentType());
          ex.sendResponseHeaders(r.status(), out.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
  }

  /** OpenAI's rule for a function name. */
  static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

  /**
   * As strict as the real service: a function name offered in {@code tools} or sent back in an
   * assistant message's {@code tool_calls} that breaks {@link #NAME} is answered with OpenAI's HTTP
   * 400 error body; null when every name is valid.
   */
  static Reply rejectInvalidNames(JsonNode request) {
    JsonNode tools = request.path("tools");
    for (int i = 0; i < tools.size(); i++) {
      Reply r =
          invalidName(
              "tools[" + i + "].function.name",
              tools.get(i).path("function").path("name").asText());
      if (r != null) return r;
    }
    JsonNode messages = request.path("messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode calls = messages.get(i).path("tool_calls");
      for (int j = 0; j < calls.size(); j++) {
        Reply r =
            invalidName(
                "messages[" + i + "].tool_calls[" + j + "].function.name",
                calls.get(j).path("function").path("name").asText());
        if (r != null) return r;
      }
    }
    return null;
  }

  private static Reply invalidName(String param, String name) {
    if (NAME.matcher(name).matches()) return null;
    String message =
        name.length() > 64
            ? "Invalid '"
                + param
                + "': string too long. Expected a string with maximum length 64, but got a string with"
                + " length "
                + name.length()
                + " instead."
            : "Invalid '"
                + param
                + "': string does not match pattern. Expected a string that matches the pattern"
                + " '^[a-zA-Z0-9_-]+$'.";
    String code = name.length() > 64 ? "string_above_max_length" : "invalid_value";
    com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
    body.putObject("error")
        .put("message", message)
        .put("type", "invalid_request_error")
        .put("param", param)
        .put("code", code);
    return new Reply(400, body.toString(), "application/json");
  }

  /** The function names offered in {@code tools} of every request, in order. */
  List<String> offeredToolNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode q : requests)
      for (JsonNode t : q.path("tools")) names.add(t.path("function").path("name").asText());
    return names;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  StubOpenAi reply(int status, String body) {
    replies.add(new Reply(status, body, "application/json"));
    return this;
  }

  /** A streamed reply: each chunk as an SSE {@code data:} event, then {@code data: [DONE]}. */
  StubOpenAi sse(List<String> chunks) {
    StringBuilder sb = new StringBuilder();
    for (String c : chunks) sb.append("data: ").append(c).append("\n\n");
    sb.append("data: [DONE]\n\n");
    replies.add(new Reply(200, sb.toString(), "text/event-stream"));
    return this;
  }

  private static String chunk(String choices) {
    return "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\","
        + "\"choices\":"
        + choices
        + "}";
  }

  private static String usageChunk(int in, int out) {
    return "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + in
        + ",\"completion_tokens\":"
        + out
        + ",\"total_tokens\":"
        + (in + out)
        + "}}";
  }

  /**
   * The streamed form of {@link #answer}: the text in the given pieces, a stop chunk, a usage
   * chunk.
   */
  StubOpenAi streamAnswer(int in, int out, String... pieces) {
    List<String> chunks = new ArrayList<>();
    chunks.add(
        chunk(
            "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]"));
    for (String p : pieces) {
      chunks.add(
          chunk(
              "[{\"index\":0,\"delta\":{\"content\":"
                  + JSON.valueToTree(p)
                  + "},\"finish_reason\":null}]"));
    }
    chunks.add(chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]"));
    chunks.add(usageChunk(in, out));
    return sse(chunks);
  }

  /**
   * The streamed form of {@link #toolCalls}: per call a delta with id and name, then its arguments
   * in two deltas; a tool_calls finish chunk, a usage chunk.
   */
  StubOpenAi streamToolCalls(int in, int out, String[]... calls) {
    List<String> chunks = new ArrayList<>();
    chunks.add(
        chunk(
            "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null},\"finish_reason\":null}]"));
    for (int k = 0; k < calls.length; k++) {
      String[] c = calls[k];
      chunks.add(
          chunk(
              "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                  + k
                  + ",\"id\":\""
                  + c[0]
                  + "\",\"type\":\"function\",\"function\":{\"name\":\""
                  + c[1]
                  + "\",\"arguments\":\"\"}}]},"
                  + "\"finish_reason\":null}]"));
      int half = c[2].length() / 2;
      for (String part : new String[] {c[2].substring(0, half), c[2].substring(half)}) {
        chunks.add(
            chunk(
                "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                    + k
                    + ",\"function\":{\"arguments\":"
                    + JSON.valueToTree(part)
                    + "}}]},\"finish_reason\":null}]"));
      }
    }
    chunks.add(chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]"));
    chunks.add(usageChunk(in, out));
    return sse(chunks);
  }

  StubOpenAi answer(String text, int in, int out) {
    return reply(
        200,
        "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{"
            + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + JSON.valueToTree(text)
            + "},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
            + in
            + ",\"completion_tokens\":"
            + out
            + ",\"total_tokens\":"
            + (in + out)
            + "}}");
  }

  /** A reply asking for tools; each call is {id, name, argumentsJson}. */
  StubOpenAi toolCalls(int in, int out, String[]... calls) {
    StringBuilder sb = new StringBuilder();
    for (String[] c : calls) {
      if (sb.length() > 0) sb.append(',');
      sb.append("{\"id\":\"")
          .append(c[0])
          .append("\",\"type\":\"function\",\"function\":{\"name\":\"")
          .append(c[1])
          .append("\",\"arguments\":")
          .append(JSON.<JsonNode>valueToTree(c[2]).toString())
          .append("}}");
    }
    return reply(
        200,
        "{\"id\":\"c2\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{"
            + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
            + sb
            + "]},"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":"
            + in
            + ",\"completion_tokens\":"
            + out
            + ",\"total_tokens\":"
            + (in + out)
            + "}}");
  }

  int requestCount() {
    return requests.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
