package dev.agentrt.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Replaces known secret values and configured patterns with {@value #MASK} in OpenTelemetry
 * attributes and values: the telemetry policy layered on agent-core's opaque {@link
 * dev.agentrt.core.manifest.Redactor} (the configuration's secrets, plus patterns such as API-key
 * and bearer-token shapes). Immutable and thread-safe; never throws on run-time input.
 */
public final class Redactor {
  /** What a redacted match is replaced by. */
  public static final String MASK = "[REDACTED]";

  /**
   * Secrets shorter than this are not redacted: scrubbing every "a" or "12" would destroy the
   * telemetry without protecting anything that could not be guessed.
   */
  public static final int MIN_SECRET_LENGTH = dev.agentrt.core.manifest.Redactor.MIN_SECRET_LENGTH;

  private static final Redactor NONE = new Redactor(dev.agentrt.core.manifest.Redactor.none());

  private final dev.agentrt.core.manifest.Redactor text;

  private Redactor(dev.agentrt.core.manifest.Redactor text) {
    this.text = text;
  }

  /** A redactor that changes nothing. */
  public static Redactor none() {
    return NONE;
  }

  /**
   * A redactor for the given secret values (matched literally; longer ones first, so a secret
   * containing another is masked whole) and regular expressions.
   *
   * @throws IllegalArgumentException naming the pattern if one is not a valid regular expression
   */
  public static Redactor of(Collection<String> secrets, List<String> patterns) {
    return of(dev.agentrt.core.manifest.Redactor.of(secrets), patterns);
  }

  /**
   * A redactor for the secrets {@code secrets} masks and the given regular expressions.
   *
   * @throws IllegalArgumentException naming the pattern if one is not a valid regular expression
   */
  public static Redactor of(dev.agentrt.core.manifest.Redactor secrets, List<String> patterns) {
    for (int i = 0; i < patterns.size(); i++) {
      String p = patterns.get(i);
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "telemetry.redact["
                + i
                + "]: '"
                + p
                + "' is not a regular expression: "
                + e.getDescription()
                + " (write a java.util.regex pattern, e.g. 'sk-[A-Za-z0-9]{20,}')",
            e);
      }
    }
    dev.agentrt.core.manifest.Redactor r = secrets.withMask(MASK).withPatterns(patterns);
    return r.isEmpty() ? NONE : new Redactor(r);
  }

  /** Whether this redactor changes anything at all. */
  public boolean isActive() {
    return !text.isEmpty();
  }

  /** {@code text} with every match masked; the same instance if nothing matched. */
  public String redact(String text) {
    return this.text.redact(text);
  }

  /** {@code attributes} with every string, string-array and structured value redacted. */
  @SuppressWarnings("unchecked")
  public Attributes redact(Attributes attributes) {
    if (!isActive() || attributes.isEmpty()) return attributes;
    AttributesBuilder b = null;
    for (Map.Entry<AttributeKey<?>, Object> e : attributes.asMap().entrySet()) {
      AttributeKey<?> key = e.getKey();
      Object value = e.getValue();
      Object redacted = redactValue(key.getType(), value);
      String name = redact(key.getKey());
      if (redacted == value && name.equals(key.getKey())) continue;
      if (b == null) b = attributes.toBuilder();
      b.remove(key);
      switch (key.getType()) {
        case STRING -> b.put(AttributeKey.stringKey(name), (String) redacted);
        case STRING_ARRAY -> b.put(AttributeKey.stringArrayKey(name), (List<String>) redacted);
        case VALUE -> b.put(AttributeKey.valueKey(name), (Value<?>) redacted);
        default -> b.put((AttributeKey<Object>) rename(key, name), redacted);
      }
    }
    return b == null ? attributes : b.build();
  }

  @SuppressWarnings("unchecked")
  private Object redactValue(AttributeType type, Object value) {
    switch (type) {
      case STRING:
        return redact((String) value);
      case STRING_ARRAY:
        {
          List<String> list = (List<String>) value;
          List<String> out = list.stream().map(this::redact).collect(Collectors.toList());
          for (int i = 0; i < list.size(); i++) {
            if (out.get(i) != list.get(i)) return out;
          }
          return value;
        }
      case VALUE:
        return redact((Value<?>) value);
      default:
        return value;
    }
  }

  private static AttributeKey<?> rename(AttributeKey<?> key, String name) {
    if (name.equals(key.getKey())) return key;
    return switch (key.getType()) {
      case BOOLEAN -> AttributeKey.booleanKey(name);
      case LONG -> AttributeKey.longKey(name);
      case DOUBLE -> AttributeKey.doubleKey(name);
      case BOOLEAN_ARRAY -> AttributeKey.booleanArrayKey(name);
      case LONG_ARRAY -> AttributeKey.longArrayKey(name);
      case DOUBLE_ARRAY -> AttributeKey.doubleArrayKey(name);
      default -> key;
    };
  }

  /** A structured value (log body, complex attribute) with every string in it redacted. */
  @SuppressWarnings("unchecked")
  public Value<?> redact(Value<?> value) {
    if (!isActive()) return value;
    switch (value.getType()) {
      case STRING:
        {
          String s = (String) value.getValue();
          String r = redact(s);
          return r == s ? value : Value.of(r);
        }
      case ARRAY:
        {
          List<Value<?>> list = (List<Value<?>>) value.getValue();
          List<Value<?>> out = new ArrayList<>(list.size());
          boolean changed = false;
          for (Value<?> v : list) {
            Value<?> r = redact(v);
            changed |= r != v;
            out.add(r);
          }
          return changed ? Value.of(out) : value;
        }
      case KEY_VALUE_LIST:
        {
          List<KeyValue> list = (List<KeyValue>) value.getValue();
          List<KeyValue> out = new ArrayList<>(list.size());
          boolean changed = false;
          for (KeyValue kv : list) {
            String k = redact(kv.getKey());
            Value<?> v = redact(kv.getValue());
            changed |= v != kv.getValue() || !k.equals(kv.getKey());
            out.add(KeyValue.of(k, v));
          }
          return changed ? Value.of(out.toArray(new KeyValue[0])) : value;
        }
      default:
        return value;
    }
  }
}
