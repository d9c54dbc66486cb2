package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a tool's JSON Schema into a LangChain4j {@link ToolSpecification}. */
final class ToolSpecs {
  private ToolSpecs() {}

  static ToolSpecification of(ToolDescriptor d) {
    return ToolSpecification.builder()
        .name(d.name())
        .description(d.description())
        .parameters(object(d.argumentSchema()))
        .build();
  }

  static JsonObjectSchema object(JsonNode s) {
    JsonObjectSchema.Builder b = JsonObjectSchema.builder();
    if (s.hasNonNull("description")) b.description(s.get("description").asText());
    for (Map.Entry<String, JsonNode> e : s.path("properties").properties()) {
      b.addProperty(e.getKey(), element(e.getValue()));
    }
    List<String> required = new ArrayList<>();
    for (JsonNode r : s.path("required")) required.add(r.asText());
    if (!required.isEmpty()) b.required(required);
    if (s.has("additionalProperties") && s.get("additionalProperties").isBoolean()) {
      b.additionalProperties(s.get("additionalProperties").asBoolean());
    }
    return b.build();
  }

  static JsonSchemaElement element(JsonNode s) {
    String description = s.hasNonNull("description") ? s.get("description").asText() : null;
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      for (JsonNode v : s.get("enum")) values.add(v.asText());
      return JsonEnumSchema.builder().enumValues(values).description(description).build();
    }
    if (s.has("anyOf") || s.has("oneOf")) {
      List<JsonSchemaElement> any = new ArrayList<>();
      for (JsonNode v : s.has("anyOf") ? s.get("anyOf") : s.get("oneOf")) any.add(element(v));
      return JsonAnyOfSchema.builder().anyOf(any).description(description).build();
    }
    JsonNode type = s.path("type");
    String t = type.isArray() ? firstNonNull(type) : type.asText("");
    switch (t) {
      case "object":
        return object(s);
      case "array":
        return JsonArraySchema.builder()
            .items(s.has("items") ? element(s.get("items")) : JsonStringSchema.builder().build())
            .description(description)
            .build();
      case "integer":
        return JsonIntegerSchema.builder().description(description).build();
      case "number":
        return JsonNumberSchema.builder().description(description).build();
      case "boolean":
        return JsonBooleanSchema.builder().description(description).build();
      case "null":
        return new JsonNullSchema();
      default:
        return JsonStringSchema.builder().description(description).build();
    }
  }

  private static String firstNonNull(JsonNode types) {
    for (JsonNode t : types) if (!"null".equals(t.asText())) return t.asText();
    return "null";
  }
}
