package dev.agentrt.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.agentrt.core.BudgetLimits;
import java.io.UncheckedIOException;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/** What the Java builders of manifests share: values as YAML trees, YAML text, calls as text. */
public final class CodeTrees {
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private CodeTrees() {}

  /** A value (a map, a list, a string, a number, a record, a {@code JsonNode}) as a tree. */
  public static JsonNode tree(@Nullable Object value) {
    return value instanceof JsonNode n ? n.deepCopy() : Json.MAPPER.valueToTree(value);
  }

  /** A tree as the YAML of a manifest file. */
  public static String yaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Strings as a YAML list. */
  public static ArrayNode strings(String... values) {
    ArrayNode a = Json.NODES.arrayNode();
    for (String v : values) a.add(v);
    return a;
  }

  /** The {@code budget:} section of these limits. */
  public static ObjectNode budget(BudgetLimits limits) {
    ObjectNode b = Json.NODES.objectNode();
    limits.maxHops().ifPresent(v -> b.put("max_hops", v));
    limits.maxDuration().ifPresent(v -> b.put("max_duration", v.toString()));
    limits.maxTokens().ifPresent(v -> b.put("max_tokens", v));
    limits.maxCostUsd().ifPresent(v -> b.put("max_cost_usd", v));
    limits.maxLlmCalls().ifPresent(v -> b.put("max_llm_calls", v));
    limits.maxToolCalls().ifPresent(v -> b.put("max_tool_calls", v));
    return b;
  }

  /** A call as code: {@code edge("a", "b")}. */
  public static String call(String method, Object... args) {
    StringJoiner j = new StringJoiner(", ", method + "(", ")");
    for (Object a : args) {
      j.add(a instanceof String s ? '"' + s + '"' : String.valueOf(a));
    }
    return j.toString();
  }
}
