package dev.agentrt.memory.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.CheckpointStoreException;
import dev.agentrt.core.spi.StoreValues;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Encodes record fields for the database and decodes them back, failing closed ({@link
 * StoreValues}, shared with the other database stores): a value that cannot be read exactly as
 * written is a {@link CheckpointStoreException} naming the file, the record and the field, never a
 * default. What is SQLite's own: JSON as bytes (a BLOB), artifacts' SHA-256.
 */
final class Codec {
  static final ObjectMapper MAPPER = StoreValues.MAPPER;

  private Codec() {}

  /** Where a value was read from, for error messages: {@code run 'r', step 'k' (seq 3)}. */
  interface Where extends StoreValues.Where {}

  static byte[] json(JsonNode value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "value cannot be written as JSON: " + StoreValues.plain(e), e);
    }
  }

  static String jsonText(JsonNode value) {
    return StoreValues.jsonText(value);
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
    return StoreValues.corrupt(where.toString(), record, field, problem);
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

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static String abbreviate(String s) {
    return StoreValues.abbreviate(s);
  }
}
