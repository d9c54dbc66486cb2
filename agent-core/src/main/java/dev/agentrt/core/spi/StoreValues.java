package dev.agentrt.core.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.Experimental;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Values as the database-backed checkpoint stores write them (SQLite, PostgreSQL), and their
 * reading back, failing closed: a value that cannot be read exactly as written is a {@link
 * CheckpointStoreException} naming the store, the record and the field, never a default. For
 * implementers of {@link CheckpointStore} over a database.
 *
 * @since 0.1
 */
@Experimental
public final class StoreValues {
  /** Reads JSON as the stores write it; trailing tokens are corruption, not ignored. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StoreValues() {}

  /** Where a value was read from, for error messages: {@code run 'r', step 'k' (seq 3)}. */
  @FunctionalInterface
  public interface Where {
    /** The record, as a message names it. */
    String describe();
  }

  /**
   * {@code value} as JSON text.
   *
   * @throws IllegalArgumentException if it cannot be written (nested too deep), naming why
   */
  public static String jsonText(JsonNode value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + plain(e), e);
    }
  }

  /** Jackson's message without the name of the constraint class it cites. */
  public static String plain(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll(", from `[^`]*`", "");
  }

  /**
   * The message the engine records for a run waiting at an interrupt: {@code run waits before|after
   * node 'n' (step 'k'): resume it with input}. A store may keep it as a code and rebuild it on
   * read, as it is the same for every run waiting at that step.
   *
   * @param nodeId the node the run waits at
   * @param stepKey the step it waits at
   * @param before whether it waits before the node ({@code interrupt: before}) or after it
   */
  public static String waitMessage(String nodeId, String stepKey, boolean before) {
    return "run waits "
        + (before ? "before" : "after")
        + " node '"
        + nodeId
        + "' (step '"
        + stepKey
        + "'): resume it with input";
  }

  /** The JSON value of {@code text}, a field of {@code record} in {@code store}. */
  public static JsonNode parse(String store, Where record, String field, @Nullable String text) {
    if (text == null) throw corrupt(store, record, field, "missing (NULL)");
    try {
      JsonNode n = MAPPER.readTree(text);
      if (n == null || n.isMissingNode()) throw corrupt(store, record, field, "empty JSON");
      return n;
    } catch (JsonProcessingException e) {
      throw corrupt(store, record, field, "corrupt JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /** The error of a field of {@code record} that cannot be read back. */
  public static CheckpointStoreException corrupt(
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
            + "store from a backup)");
  }

  /**
   * Fails unless a row's {@code record_version} is {@code expected}, the version this code writes.
   */
  public static void checkVersion(String store, Where record, int version, int expected) {
    if (version != expected) {
      throw corrupt(
          store,
          record,
          "record_version",
          "unknown record version "
              + version
              + " (this agentrt reads version "
              + expected
              + "; a newer agentrt wrote it)");
    }
  }

  /** {@code value} of a field that must not be NULL. */
  public static String required(String store, Where record, String field, @Nullable String value) {
    if (value == null) throw corrupt(store, record, field, "missing (NULL)");
    return value;
  }

  /** The call kind stored as its wire name; a kind this version does not know fails closed. */
  public static CallKind callKind(String store, Where record, @Nullable String value) {
    try {
      return CallKind.fromWireName(required(store, record, "kind", value));
    } catch (IllegalArgumentException e) {
      throw corrupt(
          store, record, "kind", e.getMessage() + "; a newer agentrt may have written it");
    }
  }

  private record UsageText(BudgetUsage usage, String text) {}

  /** The last usage encoded or decoded: most steps have the same (one hop, nothing else). */
  private static volatile @Nullable UsageText lastUsage;

  /**
   * The JSON of {@code u}, written by hand (it is encoded for every step) with only its non-zero
   * fields: most steps use one hop and some time, {@code {"hops":1,"elapsed_ns":1234}}, not seven
   * fields of which five are 0 (an absent field reads back as 0).
   */
  public static String usage(BudgetUsage u) {
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

  /** The usage written by {@link #usage(BudgetUsage)}, a field of {@code record}. */
  public static BudgetUsage usage(String store, Where record, @Nullable String text) {
    UsageText last = lastUsage;
    if (last != null && last.text().equals(text)) return last.usage();
    JsonNode n = parse(store, record, "usage", text);
    if (!n.isObject())
      throw corrupt(store, record, "usage", "not a JSON object: " + abbreviate(n.toString()));
    BudgetUsage u =
        new BudgetUsage(
            longField(store, record, n, "hops"),
            longField(store, record, n, "input_tokens"),
            longField(store, record, n, "output_tokens"),
            doubleField(store, record, n, "cost_usd"),
            longField(store, record, n, "llm_calls"),
            longField(store, record, n, "tool_calls"),
            Duration.ofNanos(longField(store, record, n, "elapsed_ns")));
    if (text != null) lastUsage = new UsageText(u, text);
    return u;
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

  /** The constant of {@code type} named {@code text}, a field of {@code record}. */
  public static <E extends Enum<E>> E enumValue(
      String store, Where record, String field, Class<E> type, @Nullable String text) {
    if (text == null) throw corrupt(store, record, field, "missing (NULL)");
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw corrupt(store, record, field, "unknown value '" + abbreviate(text) + "'");
    }
  }

  /**
   * {@code t} in nanoseconds since the epoch.
   *
   * @throws IllegalArgumentException outside the years 1678-2262
   */
  public static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "instant " + t + " is outside the range the store keeps (years 1678-2262)", e);
    }
  }

  /**
   * {@code d} in nanoseconds.
   *
   * @throws IllegalArgumentException if longer than 292 years
   */
  public static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "duration " + d + " is longer than the store keeps (292 years)", e);
    }
  }

  /** The instant {@code nanos} nanoseconds after the epoch. */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /**
   * What the caller chose for a run (labels, limits, deadline), as a store's {@code options} column
   * holds it ({@link #options(RunRecord)}).
   */
  public record RunOptionsColumn(
      Map<String, String> labels, @Nullable BudgetLimits budget, @Nullable Instant deadline) {
    /** A run whose caller chose nothing. */
    public static final RunOptionsColumn NONE = new RunOptionsColumn(Map.of(), null, null);
  }

  /** The {@code options} column of {@code run}: null when the caller chose nothing. */
  public static @Nullable String options(RunRecord run) {
    if (run.labels().isEmpty() && run.budget() == null && run.deadline() == null) return null;
    ObjectNode o = MAPPER.createObjectNode();
    if (!run.labels().isEmpty()) {
      ObjectNode labels = o.putObject("labels");
      run.labels().forEach(labels::put);
    }
    BudgetLimits b = run.budget();
    if (b != null) {
      ObjectNode budget = o.putObject("budget");
      b.maxHops().ifPresent(v -> budget.put("max_hops", v));
      b.maxDuration().ifPresent(v -> budget.put("max_duration", v.toString()));
      b.maxTokens().ifPresent(v -> budget.put("max_tokens", v));
      b.maxCostUsd().ifPresent(v -> budget.put("max_cost_usd", v));
      b.maxLlmCalls().ifPresent(v -> budget.put("max_llm_calls", v));
      b.maxToolCalls().ifPresent(v -> budget.put("max_tool_calls", v));
    }
    if (run.deadline() != null) o.put("deadline_ns", nanos(run.deadline()));
    return jsonText(o);
  }

  /** The options column written by {@link #options(RunRecord)}, a field of {@code record}. */
  public static RunOptionsColumn options(String store, Where record, @Nullable String text) {
    if (text == null) return RunOptionsColumn.NONE;
    JsonNode o = parse(store, record, "options", text);
    Map<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : o.path("labels").properties())
      labels.put(e.getKey(), e.getValue().asText());
    BudgetLimits budget = null;
    JsonNode b = o.get("budget");
    if (b != null) {
      BudgetLimits.Builder lb = BudgetLimits.builder();
      if (b.has("max_hops")) lb.maxHops(b.get("max_hops").asLong());
      if (b.has("max_duration")) lb.maxDuration(Duration.parse(b.get("max_duration").asText()));
      if (b.has("max_tokens")) lb.maxTokens(b.get("max_tokens").asLong());
      if (b.has("max_cost_usd")) lb.maxCostUsd(b.get("max_cost_usd").asDouble());
      if (b.has("max_llm_calls")) lb.maxLlmCalls(b.get("max_llm_calls").asLong());
      if (b.has("max_tool_calls")) lb.maxToolCalls(b.get("max_tool_calls").asLong());
      budget = lb.build();
    }
    Instant deadline = o.has("deadline_ns") ? instant(o.get("deadline_ns").asLong()) : null;
    return new RunOptionsColumn(labels, budget, deadline);
  }

  /** {@code s}, cut to 80 characters for a message. */
  public static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
