package dev.agentrt.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a failed call to a model server means to a person: one line without exception class names
 * ({@link #what}), a shorter form without anything the server sent ({@link #brief}, for the retry
 * log line), and whether another attempt may succeed.
 *
 * @param what the failure, such as {@code HTTP 500: boom} or {@code cannot connect to
 *     127.0.0.1:4711 (connection refused)}; may contain the server's error message, so redact it
 * @param brief the failure without the server's words, such as {@code HTTP 500}
 * @param retryable whether another attempt may succeed: HTTP 408, 429 and 5xx, timeouts, refused or
 *     broken connections
 * @param kind the failure's class for metrics ({@code error.type} of {@code agentrt.model.errors}):
 *     {@code rate_limited} (HTTP 429), {@code server_error} (5xx), {@code client_error} (other
 *     4xx), {@code timeout}, {@code connection}, {@code unknown_host}, {@code malformed_response}
 *     or {@code other}
 */
record ProviderFailure(String what, String brief, boolean retryable, String kind) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CHARS = 500;

  /** Where each first-party provider sends requests when {@code base_url} is not set. */
  private static final Map<String, String> DEFAULT_HOSTS =
      Map.of(
          "openai",
          "api.openai.com",
          "anthropic",
          "api.anthropic.com",
          "ollama",
          "localhost:11434");

  /**
   * Describes {@code e}, thrown by a call to the model server of {@code provider} at {@code
   * baseUrl} (null: the provider's default) with read timeout {@code timeout}.
   */
  static ProviderFailure of(
      Throwable e, String provider, @Nullable String baseUrl, Duration timeout) {
    String host = host(provider, baseUrl);
    String at = host == null ? "the model server" : host;
    HttpException http = find(e, HttpException.class);
    if (http != null) {
      int status = http.statusCode();
      boolean retry = status == 408 || status == 429 || status >= 500;
      String said = errorMessage(http.getMessage());
      String kind =
          status == 429
              ? "rate_limited"
              : status >= 500 ? "server_error" : status == 408 ? "timeout" : "client_error";
      return new ProviderFailure(
          "HTTP " + status + (said.isEmpty() ? "" : ": " + said), "HTTP " + status, retry, kind);
    }
    if (find(e, UnresolvedAddressException.class) != null
        || find(e, UnknownHostException.class) != null
        || find(e, UnresolvedModelServerException.class) != null) {
      String what = "cannot reach " + at + " (unknown host; check base_url)";
      return new ProviderFailure(what, what, false, "unknown_host");
    }
    HttpConnectTimeoutException connectTimeout = find(e, HttpConnectTimeoutException.class);
    if (connectTimeout != null) {
      String what = "cannot connect to " + at + " (connection timed out)";
      return new ProviderFailure(what, what, true, "timeout");
    }
    ConnectException refused = find(e, ConnectException.class);
    if (refused != null) {
      String why =
          refused.getMessage() == null || refused.getMessage().isBlank()
              ? "connection refused"
              : refused.getMessage().toLowerCase(Locale.ROOT);
      String what = "cannot connect to " + at + " (" + why + ")";
      return new ProviderFailure(what, what, true, "connection");
    }
    if (find(e, HttpTimeoutException.class) != null
        || find(e, SocketTimeoutException.class) != null
        || find(e, dev.langchain4j.exception.TimeoutException.class) != null) {
      String what =
          "no response from "
              + at
              + " within "
              + seconds(timeout)
              + " (raise timeout: in config.yml)";
      return new ProviderFailure(what, what, true, "timeout");
    }
    JsonProcessingException json = find(e, JsonProcessingException.class);
    if (json != null) {
      String what =
          "malformed response from "
              + at
              + ": not valid JSON ("
              + oneLine(json.getOriginalMessage())
              + ")";
      return new ProviderFailure(what, what, false, "malformed_response");
    }
    IOException io = find(e, IOException.class);
    if (io != null) {
      String why =
          io.getMessage() == null || io.getMessage().isBlank()
              ? "closed unexpectedly"
              : oneLine(io.getMessage());
      String what = "connection to " + at + " failed (" + why + ")";
      return new ProviderFailure(what, what, true, "connection");
    }
    if (e instanceof InternalServerException
        || e instanceof NullPointerException
        || e instanceof ClassCastException
        || e instanceof IndexOutOfBoundsException) {
      String detail =
          e instanceof InternalServerException && readable(e.getMessage())
              ? ": " + oneLine(e.getMessage())
              : ": a field the " + provider + " API always sends is missing or has another type";
      String what = "malformed response from " + at + detail;
      return new ProviderFailure(what, what, false, "malformed_response");
    }
    String what =
        readable(e.getMessage())
            ? oneLine(e.getMessage())
            : "unexpected failure ("
                + e.getClass().getSimpleName()
                + "; the debug log has its stack trace)";
    return new ProviderFailure(what, what, false, "other");
  }

  /**
   * {@code host[:port]} of {@code baseUrl}, or of the provider's default; null if neither is known.
   */
  static @Nullable String host(String provider, @Nullable String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) return DEFAULT_HOSTS.get(provider);
    try {
      URI u = URI.create(baseUrl.strip());
      if (u.getHost() == null) return null;
      return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    } catch (IllegalArgumentException ex) {
      return null;
    }
  }

  /**
   * The error message of a provider's error body ({@code {"error": {"message": ...}}} of OpenAI and
   * Anthropic, {@code {"error": "..."}} of Ollama), else the body on one line, clipped.
   */
  static String errorMessage(@Nullable String body) {
    if (body == null || body.isBlank()) return "";
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode error = n == null ? null : n.get("error");
      if (error != null && error.isTextual()) return oneLine(error.asText());
      if (error != null && error.path("message").isTextual())
        return oneLine(error.path("message").asText());
    } catch (JsonProcessingException notJson) {
      // not JSON: the body itself
    }
    return oneLine(body);
  }

  /**
   * Whether {@code message} reads as a sentence for a person rather than an exception rendering.
   */
  private static boolean readable(@Nullable String message) {
    if (message == null || message.isBlank() || message.equals("null")) return false;
    return !message.matches("(?s).*\\b(java|javax|dev\\.langchain4j|com\\.fasterxml)\\.[a-z].*")
        && !message.matches("(?s).*[A-Za-z]+(Exception|Error)\\b.*");
  }

  private static String oneLine(@Nullable String s) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return t.length() <= MAX_CHARS ? t : t.substring(0, MAX_CHARS) + "...";
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 20; depth++) {
      if (type.isInstance(t)) return type.cast(t);
      if (t.getCause() == t) break;
      t = t.getCause();
    }
    return null;
  }
}
