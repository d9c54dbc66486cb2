package dev.agentrt.memory.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Encodes record fields for the database and decodes them back, failing closed: a value that cannot
 * be read exactly as written is a {@link CheckpointStoreException} naming the record and the field,
 * never a default.
 */
final class Codec {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Codec() {}

  /** Where a value was read from, for error messages: {@code run 'r', step 'k' (seq 3)}. */
  interface Where {
    String describe();
  }

  static byte[] json(JsonNode value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + plain(e), e);
    }
  }

  /** Jackson's message without the name of the constraint class it cites. */
  private static String plain(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll(", from `[^`]*`", "");
  }

  /** {@link #json} as a string. */
  static String jsonText(JsonNode value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + plain(e), e);
    }
  }

  static JsonNode parse(Path where, Where record, String field, byte @Nullable [] bytes) {
    if (bytes == null) throw corrupt(where, record, field, "missing (NULL)");
    try {
      JsonNode n = MAPPER.readTree(bytes);
      if (n == null || n.isMissingNode()) throw corrupt(where, record, field, "empty JSON");
      return n;
    } catch (java.io.IOException e) {
      String msg =
          e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.toString();
      throw corrupt(where, record, field, "corrupt JSON (" + msg + ")");
    }
  }

  static CheckpointStoreException corrupt(Path where, Where record, String field, String problem) {
    return new CheckpointStoreException(
        "checkpoint store "
            + where
            + ": "
            + record.describe()
            + ": field '"
            + field
            + "': "
            + problem
            + " (the record cannot be read back, so the run cannot be resumed from it; restore the "
            + "store from a backup)");
  }

  /**
   * The JSON of {@code u}, written by hand (it is encoded for every step) with only its non-zero
   * fields: most steps use one hop and some time, {@code {"hops":1,"elapsed_ns":1234}}, not seven
   * fields of which five are 0 (an absent field reads back as 0).
   */
  static String usage(BudgetUsage u) {
    UsageText last = lastUsage;
    if (last != null && last.usage().equals(u)) return last.text();
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
    String text = sb.append('}').toString();
    lastUsage = new UsageText(u, text);
    return text;
  }

  private static void field(StringBuilder sb, String name, long value) {
    if (value == 0) return;
    if (sb.length() > 1) sb.append(',');
    sb.append('"').append(name).append("\":").append(value);
  }

  private record UsageText(BudgetUsage usage, String text) {}

  /** The last usage encoded: most steps have the same usage (one hop, nothing else). */
  private static volatile @Nullable UsageText lastUsage;

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

  static BudgetUsage usage(Path where, Where record, @Nullable String text) {
    UsageText last = lastUsage;
    if (last != null && last.text().equals(text))
      return last.usage(); // most steps have the same usage
    BudgetUsage u = parseUsage(where, record, text);
    lastUsage = new UsageText(u, text);
    return u;
  }

  private static BudgetUsage parseUsage(Path where, Where record, @Nullable String text) {
    JsonNode n =
        parse(where, record, "usage", text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    if (!n.isObject())
      throw corrupt(where, record, "usage", "not a JSON object: " + abbreviate(n.toString()));
    return new BudgetUsage(
        longField(where, record, n, "hops"),
        longField(where, record, n, "input_tokens"),
        longField(where, record, n, "output_tokens"),
        doubleField(where, record, n, "cost_usd"),
        longField(where, record, n, "llm_calls"),
        longField(where, record, n, "tool_calls"),
        Duration.ofNanos(longField(where, record, n, "elapsed_ns")));
  }

  private static long longField(Path where, Where record, JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) return 0; // zero fields are left out
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw corrupt(where, record, "usage." + name, "not an integer: " + abbreviate(v.toString()));
    }
    return v.longValue();
  }

  private static double doubleField(Path where, Where record, JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null) return 0;
    if (!v.isNumber()) {
      throw corrupt(where, record, "usage." + name, "not a number: " + abbreviate(v.toString()));
    }
    return v.doubleValue();
  }

  static <E extends Enum<E>> E enumValue(
      Path where, Where record, String field, Class<E> type, @Nullable String text) {
    if (text == null) throw corrupt(where, record, field, "missing (NULL)");
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw corrupt(where, record, field, "unknown value '" + abbreviate(text) + "'");
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

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
