package dev.agentrt.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The recorded form of LLM calls: canonical request JSON (hashed), response JSON and back. */
public final class ChatJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

  private ChatJson() {}

  /** The request as recorded: model, parameters, messages, tool specifications. */
  public static ObjectNode request(
      ObjectNode model, List<ChatMessage> messages, List<ToolDescriptor> tools) {
    ObjectNode o = NODES.objectNode();
    o.set("model", model);
    ArrayNode ms = o.putArray("messages");
    for (ChatMessage m : messages) ms.add(message(m));
    ArrayNode ts = o.putArray("tools");
    for (ToolDescriptor d : tools) {
      ts.addObject()
          .put("name", d.name())
          .put("description", d.description())
          .set("parameters", d.argumentSchema());
    }
    return o;
  }

  static ObjectNode message(ChatMessage m) {
    ObjectNode o = NODES.objectNode();
    if (m instanceof SystemMessage s) {
      o.put("role", "system").put("text", s.text());
    } else if (m instanceof UserMessage u) {
      o.put("role", "user")
          .put("text", u.hasSingleText() ? u.singleText() : u.contents().toString());
    } else if (m instanceof AiMessage a) {
      o.put("role", "assistant");
      if (a.text() != null) o.put("text", a.text());
      if (a.hasToolExecutionRequests()) o.set("tool_calls", toolCalls(a.toolExecutionRequests()));
    } else if (m instanceof ToolExecutionResultMessage r) {
      o.put("role", "tool").put("id", r.id()).put("name", r.toolName()).put("text", r.text());
    } else {
      o.put("role", m.type().name().toLowerCase(java.util.Locale.ROOT)).put("text", m.toString());
    }
    return o;
  }

  private static ArrayNode toolCalls(List<ToolExecutionRequest> calls) {
    ArrayNode a = NODES.arrayNode();
    for (ToolExecutionRequest r : calls) {
      ObjectNode c = a.addObject();
      if (r.id() != null) c.put("id", r.id());
      c.put("name", r.name()).put("arguments", r.arguments());
    }
    return a;
  }

  /** SHA-256 (hex) of the request's canonical JSON (object keys sorted). */
  public static String hash(JsonNode request) {
    try {
      byte[] bytes = CANONICAL.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash an LLM request", e);
    }
  }

  /** The response as recorded. */
  public static ObjectNode response(
      AiMessage ai, long inputTokens, long outputTokens, double costUsd, String finishReason) {
    ObjectNode o = NODES.objectNode();
    if (ai.text() != null) o.put("text", ai.text());
    if (ai.hasToolExecutionRequests()) o.set("tool_calls", toolCalls(ai.toolExecutionRequests()));
    o.put("finish_reason", finishReason);
    o.putObject("usage")
        .put("input_tokens", inputTokens)
        .put("output_tokens", outputTokens)
        .put("cost_usd", costUsd);
    return o;
  }

  /** The assistant message of a recorded response. */
  public static AiMessage aiMessage(JsonNode response) {
    List<ToolExecutionRequest> calls = new ArrayList<>();
    for (JsonNode c : response.path("tool_calls")) {
      calls.add(
          ToolExecutionRequest.builder()
              .id(c.hasNonNull("id") ? c.get("id").asText() : null)
              .name(c.path("name").asText())
              .arguments(c.path("arguments").asText())
              .build());
    }
    AiMessage.Builder b =
        AiMessage.builder()
            .text(response.hasNonNull("text") ? response.get("text").asText() : null);
    if (!calls.isEmpty()) b.toolExecutionRequests(calls);
    return b.build();
  }
}
