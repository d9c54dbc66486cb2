package dev.agentrt.store.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.spi.StoreValues;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Encodes record fields for the database and decodes them back, failing closed ({@link
 * StoreValues}, shared with the SQLite store): a value that cannot be read exactly as written is a
 * {@link CheckpointStoreException} naming the store, the record and the field, never a default.
 */
final class Codec {
  static final ObjectMapper MAPPER = StoreValues.MAPPER;

  private Codec() {}

  /** Where a value was read from, for error messages: {@code run 'r', step 'k' (seq 3)}. */
  interface Where extends StoreValues.Where {}

  /** The JSON text of {@code value}, exactly as it is read back. */
  static String jsonText(JsonNode value) {
    return value.isNull() ? "null" : StoreValues.jsonText(value);
  }

  static JsonNode parse(String store, Where record, String field, @Nullable String text) {
    if ("null".equals(text)) return NullNode.getInstance();
    return StoreValues.parse(store, record, field, text);
  }

  static CheckpointStoreException corrupt(
      String store, Where record, String field, String problem) {
    return StoreValues.corrupt(store, record, field, problem);
  }

  static String usage(BudgetUsage u) {
    return StoreValues.usage(u);
  }

  static BudgetUsage usage(String store, Where record, @Nullable String text) {
    return StoreValues.usage(store, record, text);
  }

  static <E extends Enum<E>> E enumValue(
      String store, Where record, String field, Class<E> type, @Nullable String text) {
    return StoreValues.enumValue(store, record, field, type, text);
  }

  static long nanos(Instant t) {
    return StoreValues.nanos(t);
  }

  static long nanos(Duration d) {
    return StoreValues.nanos(d);
  }

  static Instant instant(long nanos) {
    return StoreValues.instant(nanos);
  }

  static String abbreviate(String s) {
    return StoreValues.abbreviate(s);
  }
}
