package dev.agentrt.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.Secret;
import java.io.IOException;
import java.time.Duration;

/** Shared Jackson set-up. */
public final class Json {
  /** Plain JSON mapper for state and records. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** Node factory for building state. */
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final YAMLFactory YAML = new YAMLFactory();

  /** Binds manifest trees to records: snake_case keys, unknown keys reported, strict types. */
  static final ObjectMapper MANIFEST_MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .registerModule(
              new SimpleModule("agentrt-manifest")
                  .addDeserializer(Duration.class, new DurationDeserializer())
                  .addDeserializer(Secret.class, new SecretDeserializer())
                  .addDeserializer(Long.class, new StrictScalar<>(Long.class))
                  .addDeserializer(long.class, new StrictScalar<>(long.class))
                  .addDeserializer(Integer.class, new StrictScalar<>(Integer.class))
                  .addDeserializer(int.class, new StrictScalar<>(int.class))
                  .addDeserializer(Double.class, new StrictScalar<>(Double.class))
                  .addDeserializer(double.class, new StrictScalar<>(double.class))
                  .addDeserializer(Boolean.class, new StrictScalar<>(Boolean.class))
                  .addDeserializer(boolean.class, new StrictScalar<>(boolean.class)));

  private Json() {}

  /** The configuration duration syntax: {@link Durations#parse}. */
  static Duration parseDuration(String text) {
    return Durations.parse(text);
  }

  static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return parseDuration(text);
      } catch (IllegalArgumentException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
      }
    }
  }

  /**
   * Numbers and booleans exactly as written: no fraction truncated into a whole number, no quoted
   * {@code '10'} taken as a number, no whole number out of an {@code int}'s range. A mismatch goes
   * to the problem handler with a message naming what was found.
   */
  static final class StrictScalar<T> extends JsonDeserializer<T> {
    private final Class<T> type;

    StrictScalar(Class<T> type) {
      this.type = type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return (T) read(p, ctxt);
    }

    private Object read(JsonParser p, DeserializationContext ctxt) throws IOException {
      com.fasterxml.jackson.core.JsonToken t = p.currentToken();
      boolean whole =
          type == Long.class || type == long.class || type == Integer.class || type == int.class;
      boolean bool = type == Boolean.class || type == boolean.class;
      String expected = whole ? "a whole number" : bool ? "true or false" : "a number";
      if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
        String text = p.getText();
        boolean looksRight =
            bool
                ? text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false")
                : text.trim().matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
        return ctxt.handleWeirdStringValue(
            type,
            text,
            looksRight
                ? "expected "
                    + expected
                    + ", found the string '"
                    + text
                    + "' (write it without quotes)"
                : "'" + text + "' is not " + expected);
      }
      if (bool) {
        if (t == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE) return Boolean.TRUE;
        if (t == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE) return Boolean.FALSE;
        return ctxt.handleUnexpectedToken(type, p);
      }
      if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
        JsonParser.NumberType nt = p.getNumberType();
        boolean isInt = type == Integer.class || type == int.class;
        if (type == Double.class || type == double.class) return p.getDoubleValue();
        if (nt == JsonParser.NumberType.BIG_INTEGER || (isInt && nt != JsonParser.NumberType.INT)) {
          return ctxt.handleWeirdNumberValue(
              type,
              p.getNumberValue(),
              p.getText()
                  + " is out of range (at most "
                  + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE)
                  + ")");
        }
        return isInt ? (Object) p.getIntValue() : (Object) p.getLongValue();
      }
      if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT) {
        if (!whole) return p.getDoubleValue();
        return ctxt.handleWeirdNumberValue(
            type, p.getNumberValue(), p.getText() + " is not a whole number");
      }
      return ctxt.handleUnexpectedToken(type, p);
    }
  }

  static final class SecretDeserializer extends JsonDeserializer<Secret> {
    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Secret) ctxt.handleUnexpectedToken(Secret.class, p);
      }
      return new Secret(text);
    }
  }

  /**
   * A readable one-line rendering of a JSON value for messages: strings unquoted, long values cut.
   */
  public static String brief(JsonNode value) {
    String s = value.isTextual() ? value.asText() : value.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
