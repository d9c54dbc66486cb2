package dev.agentrt.store.postgres.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Encodes record fields for the database and decodes them back, failing closed: a value that cannot
 * be read exactly as written is a {@link CheckpointStoreException} naming the store, the record and
 * the field, never a default.
 */
final class Codec {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Codec() {}

  /** Where a value was read from, for error messages: {@code run 'r', step 'k' (seq 3)}. */
  interface Where {
    String describe();
  }

  /** The JSON text of {@code value}, exactly as it is read back. */
  static String jsonText(JsonNode value) {
    if (value.isNull()) return "null";
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + plain(e), e);
    }
  }

  /** Jackson's message without the name of the constraint class it cites. */
  private static String plain(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll(", from `[^`]*`", "");
  }

  static JsonNode parse(String store, Where record, String field, @Nullable String text) {
    if (text == null) throw corrupt(store, record, field, "missing (NULL)");
    if (text.equals("null")) return NullNode.getInstance();
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) throw corrupt(store, record, field, "empty JSON");
      return n;
    } catch (JsonProcessingException e) {
      throw corrupt(store, record, field, "corrupt JSON (" + e.getOriginalMessage() + ")");
    }
  }

  static CheckpointStoreException corrupt(
      String store, Where record, String field, String problem) {
    return new CheckpointStoreException(
        "checkpoint store "
            + store
            + ": "
            + record.describe()
            + ": field '"
            + field
            + "': "
            + problem
            + " (the record cannot be read back, so the run cannot be resumed from it; restore the "
            + "database from a backup)");
  }

  /**
   * The JSON of {@code u} with only its non-zero fields: most steps use one hop and some time,
   * {@code {"hops":1,"elapsed_ns":1234}} (an absent field reads back as 0).
   */
  static String usage(BudgetUsage u) {
    if (!Double.isFinite(u.costUsd())) return usageTree(u);
    StringBuilder sb = new StringBuilder(64).append('{');
    field(sb, "hops", u.hops());
    field(sb, "input_tokens", u.inputTokens());
    field(sb, "output_tokens", u.outputTokens());
    if (u.costUsd() != 0)
      sb.append(sb.length() > 1 ? "," : "").append("\"cost_usd\":").append(u.costUsd());
    field(sb, "llm_calls", u.llmCalls());
    field(sb, "tool_calls", u.toolCalls());
    field(sb, "elapsed_ns", nanos(u.elapsed()));
    return sb.append('}').toString();
  }

  private static void field(StringBuilder sb, String name, long value) {
    if (value == 0) return;
    if (sb.length() > 1) sb.append(',');
    sb.append('"').append(name).append("\":").append(value);
  }

  private static String usageTree(BudgetUsage u) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("hops", u.hops());
    o.put("input_tokens", u.inputTokens());
    o.put("output_tokens", u.outputTokens());
    o.put("cost_usd", u.costUsd());
    o.put("llm_calls", u.llmCalls());
    o.put("tool_calls", u.toolCalls());
    o.put("elapsed_ns", nanos(u.elapsed()));
    return o.toString();
  }

  static BudgetUsage usage(String store, Where record, @Nullable String text) {
    JsonNode n = parse(store, record, "usage", text);
    if (!n.isObject())
      throw corrupt(store, record, "usage", "not a JSON object: " + abbreviate(n.toString()));
    return new BudgetUsage(
        longField(store, record, n, "hops"),
        longField(store, record, n, "input_tokens"),
        longField(store, record, n, "output_tokens"),
        doubleField(store, record, n, "cost_usd"),
        longField(store, record, n, "llm_calls"),
        longField(store, record, n, "tool_calls"),
        Duration.ofNanos(longField(store, record, n, "elapsed_ns")));
  }

  private static long longField(String store, Where record, JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) return 0; // zero fields are left out
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw corrupt(store, record, "usage." + name, "not an integer: " + abbreviate(v.toString()));
    }
    return v.longValue();
  }

  private static double doubleField(String store, Where record, JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) return 0;
    if (!v.isNumber()) {
      throw corrupt(store, record, "usage." + name, "not a number: " + abbreviate(v.toString()));
    }
    return v.doubleValue();
  }

  static <E extends Enum<E>> E enumValue(
      String store, Where record, String field, Class<E> type, @Nullable String text) {
    if (text == null) throw corrupt(store, record, field, "missing (NULL)");
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw corrupt(store, record, field, "unknown value '" + abbreviate(text) + "'");
    }
  }

  static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "instant " + t + " is outside the range the store keeps (years 1678-2262)", e);
    }
  }

  static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "duration " + d + " is longer than the store keeps (292 years)", e);
    }
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
