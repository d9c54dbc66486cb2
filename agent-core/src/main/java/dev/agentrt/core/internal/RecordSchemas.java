package dev.agentrt.core.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.Annotation;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schema (draft 2020-12) of a Java record, for an agent's {@code output: {type: ...}}: an
 * object with one property per component, each required unless it is an {@code Optional} or
 * annotated {@code @Nullable} (any annotation of that simple name), and no other property. Strings,
 * numbers, booleans, enums (by their JSON names), collections, arrays, maps with string keys,
 * nested records and {@code JsonNode} are supported; Jackson's {@code @JsonProperty} renames a
 * component and {@code @JsonPropertyDescription} describes it, as they do when the answer is read
 * back with {@code RunResult.outputAs}.
 */
public final class RecordSchemas {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private RecordSchemas() {}

  /** Why a type has no schema; the message says which component and what to change. */
  public static final class UnsupportedTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedTypeException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The schema of {@code type}.
   *
   * @throws UnsupportedTypeException if it is not a record, or a component's type has no schema
   */
  public static ObjectNode of(Class<?> type) {
    if (!type.isRecord()) {
      throw new UnsupportedTypeException(
          type.getName() + " is not a record (declare the answer's fields as a Java record)");
    }
    return record(type, new ArrayDeque<>(), type.getSimpleName());
  }

  private static ObjectNode record(Class<?> type, Deque<Class<?>> path, String where) {
    if (path.contains(type)) {
      throw new UnsupportedTypeException(
          where + ": " + type.getName() + " contains itself (a schema cannot be recursive)");
    }
    path.push(type);
    ObjectNode schema = JSON.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = JSON.arrayNode();
    for (RecordComponent c : type.getRecordComponents()) {
      JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
      if (renamed == null) renamed = c.getAnnotation(JsonProperty.class);
      String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
      Type t = c.getGenericType();
      boolean optional = t instanceof ParameterizedType p && p.getRawType() == Optional.class;
      if (optional) t = ((ParameterizedType) t).getActualTypeArguments()[0];
      ObjectNode property = schemaOf(t, path, where + "." + c.getName());
      JsonPropertyDescription d = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
      if (d == null) d = c.getAnnotation(JsonPropertyDescription.class);
      if (d != null) property.put("description", d.value());
      properties.set(name, property);
      if (!optional && !nullable(c)) required.add(name);
    }
    if (!required.isEmpty()) schema.set("required", required);
    schema.put("additionalProperties", false);
    path.pop();
    return schema;
  }

  private static ObjectNode schemaOf(Type t, Deque<Class<?>> path, String where) {
    if (t instanceof WildcardType w) t = w.getUpperBounds()[0];
    if (t instanceof GenericArrayType g) return array(g.getGenericComponentType(), path, where);
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) return array(args[0], path, where);
      if (Map.class.isAssignableFrom(raw)) {
        if (args[0] != String.class) {
          throw new UnsupportedTypeException(where + ": a map's keys must be strings");
        }
        ObjectNode s = JSON.objectNode().put("type", "object");
        s.set("additionalProperties", schemaOf(args[1], path, where));
        return s;
      }
      if (raw == Optional.class) return schemaOf(args[0], path, where);
      t = raw;
    }
    if (!(t instanceof Class<?> c)) {
      throw new UnsupportedTypeException(where + ": type " + t + " has no JSON Schema");
    }
    if (c == String.class || c == char.class || c == Character.class) return type("string");
    if (c == boolean.class || c == Boolean.class) return type("boolean");
    if (c == int.class
        || c == long.class
        || c == short.class
        || c == byte.class
        || c == Integer.class
        || c == Long.class
        || c == Short.class
        || c == Byte.class
        || c == BigInteger.class) return type("integer");
    if (c == double.class
        || c == float.class
        || c == Double.class
        || c == Float.class
        || c == BigDecimal.class) return type("number");
    if (c.isEnum()) return enumeration(c);
    if (c.isArray()) return array(c.getComponentType(), path, where);
    if (c.isRecord()) return record(c, path, where);
    if (JsonNode.class.isAssignableFrom(c) || c == Object.class) return JSON.objectNode();
    if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)) {
      throw new UnsupportedTypeException(
          where + ": " + c.getSimpleName() + " needs its element type (List<String>, not List)");
    }
    if (c.getName().startsWith("java.time.")) return type("string");
    throw new UnsupportedTypeException(
        where
            + ": "
            + c.getName()
            + " has no JSON Schema (use a record, an enum, a string, a number, a boolean, a"
            + " collection or a map)");
  }

  private static ObjectNode type(String type) {
    return JSON.objectNode().put("type", type);
  }

  private static ObjectNode array(Type element, Deque<Class<?>> path, String where) {
    ObjectNode s = type("array");
    s.set("items", schemaOf(element, path, where + "[]"));
    return s;
  }

  private static ObjectNode enumeration(Class<?> c) {
    ObjectNode s = type("string");
    ArrayNode values = s.putArray("enum");
    for (Object constant : c.getEnumConstants()) {
      String name = ((Enum<?>) constant).name();
      try {
        JsonProperty p = c.getField(name).getAnnotation(JsonProperty.class);
        values.add(p != null && !p.value().isEmpty() ? p.value() : name);
      } catch (NoSuchFieldException e) {
        values.add(name);
      }
    }
    return s;
  }

  private static boolean nullable(RecordComponent c) {
    return named(c.getAnnotatedType().getAnnotations())
        || named(c.getAnnotations())
        || named(c.getAccessor().getAnnotations())
        || named(c.getAccessor().getAnnotatedReturnType().getAnnotations());
  }

  private static boolean named(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (a.annotationType().getSimpleName().equals("Nullable")) return true;
    }
    return false;
  }
}
