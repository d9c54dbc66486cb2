package dev.agentrt.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.ToolResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Tool calls and results as JSON, for the call journal: the request ({@code {"tool", "arguments"}})
 * and its hash, a {@link ToolResult} and back, and the size cap on a result.
 */
final class ResultCodec {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);
  private static final ObjectMapper PLAIN = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ResultCodec() {}

  /** {@code {"tool": <name>, "arguments": <arguments>}}. */
  static JsonNode request(ToolInvocation inv) {
    ObjectNode o = NODES.objectNode();
    o.put("tool", inv.tool());
    o.set("arguments", inv.arguments());
    return o;
  }

  /** The SHA-256 of the canonical (sorted keys) JSON of {@link #request}, in hex. */
  static String requestHash(ToolInvocation inv) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(CANONICAL.writeValueAsBytes(request(inv))));
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot hash a tool request", e);
    }
  }

  /**
   * {@code {"ok": true, "value": ..., "truncated"?: true}} or {@code {"ok": false, "kind": ...,
   * "message": ...}}.
   */
  static JsonNode encode(ToolResult result) {
    ObjectNode o = NODES.objectNode();
    if (result instanceof ToolResult.Success s) {
      o.put("ok", true);
      o.set("value", s.value());
      if (s.truncated()) o.put("truncated", true);
    } else {
      ToolResult.Failure f = (ToolResult.Failure) result;
      o.put("ok", false);
      o.put("kind", f.kind().name());
      o.put("message", f.message());
    }
    return o;
  }

  /** The result {@link #encode} wrote; an unknown failure kind reads as {@code ERROR}. */
  static ToolResult decode(JsonNode response) {
    if (response.path("ok").asBoolean(false)) {
      return new ToolResult.Success(
          response.path("value"), response.path("truncated").asBoolean(false));
    }
    ToolFailureKind kind;
    try {
      kind = ToolFailureKind.valueOf(response.path("kind").asText("ERROR"));
    } catch (IllegalArgumentException e) {
      kind = ToolFailureKind.ERROR;
    }
    return new ToolResult.Failure(kind, response.path("message").asText(""));
  }

  /**
   * {@code result}, or, if it is a success larger than {@code limit} bytes as JSON, a truncated
   * success holding a preview of its first {@code limit} bytes.
   */
  static ToolResult cap(ToolResult result, int limit) {
    if (!(result instanceof ToolResult.Success s)) return result;
    byte[] json;
    try {
      json = PLAIN.writeValueAsBytes(s.value());
    } catch (JsonProcessingException e) {
      return new ToolResult.Failure(
          ToolFailureKind.ERROR, "result cannot be written as JSON: " + e.getOriginalMessage());
    }
    if (json.length <= limit) return result;
    String text = new String(json, 0, limit, StandardCharsets.UTF_8);
    if (!text.isEmpty() && text.charAt(text.length() - 1) == '\uFFFD')
      text = text.substring(0, text.length() - 1);
    ObjectNode o = NODES.objectNode();
    o.put("truncated", true);
    o.put("size_bytes", json.length);
    o.put("limit_bytes", limit);
    o.put("preview", text);
    return new ToolResult.Success(o, true);
  }

  /** {@code 30s}, {@code 2m}, {@code 1h30m}. */
  static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
