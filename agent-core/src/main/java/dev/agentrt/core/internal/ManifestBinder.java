package dev.agentrt.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads one manifest file into its record: bounded read, YAML with locations, duplicate keys,
 * variables, binding (unknown keys, wrong types and values reported at their place) and the
 * records' constraints.
 */
final class ManifestBinder {
  private static final String MANIFEST_LIMIT_HINT =
      " for a manifest (split it, or raise AgentRuntime.Builder.maxManifestBytes)";

  private final long maxManifestBytes;

  ManifestBinder(long maxManifestBytes) {
    this.maxManifestBytes = maxManifestBytes;
  }

  <T> @Nullable T readFile(ManifestFile f, Variables vars, Class<T> type, boolean emptyOk) {
    String text;
    try {
      text =
          f.source != null
              ? f.source
              : BoundedText.read(
                  java.util.Objects.requireNonNull(f.path), maxManifestBytes, MANIFEST_LIMIT_HINT);
      f.bytes = text.getBytes(StandardCharsets.UTF_8);
    } catch (BoundedText.Problem e) {
      f.problemAtLine(e.line, e.column, e.getMessage());
      return null;
    } catch (IOException e) {
      f.problemAtLine(0, 0, "cannot read the file: " + e.getMessage());
      return null;
    }
    List<String> duplicates = new ArrayList<>();
    try {
      f.tree = LocatedTree.read(text, duplicates);
    } catch (LocatedTree.YamlSyntaxException e) {
      f.problemAtLine(e.line, e.column, "invalid YAML: " + e.getMessage());
      return null;
    }
    for (String d : duplicates) {
      String key = d.substring(d.lastIndexOf('/') + 1);
      String where = f.tree.root == null ? "" : keySubject(f.tree.root, d);
      f.problem(
          d,
          where + "duplicate key '" + unescape(key) + "' (remove one; the later value would win)");
    }
    JsonNode root = f.tree.root;
    if (root == null || root.isNull()) {
      if (!emptyOk)
        f.problemAtLine(0, 0, "the file is empty (write the manifest, or delete the file)");
      return null;
    }
    if (!root.isObject()) {
      f.problem("", "expected a mapping of keys to values at the top level, found " + kindOf(root));
      return null;
    }
    int before = f.problems.size();
    // name the key whose value could not be resolved: "models.default.api_key: environment variable
    // ..."
    vars.resolve(
        root,
        "",
        null,
        (ptr, message) ->
            f.problem(
                ptr,
                subject(root, ptr)
                    + unescape(ptr.substring(ptr.lastIndexOf('/') + 1))
                    + ": "
                    + message));
    T value = bind(f, (ObjectNode) root, type);
    if (value == null) return null;
    if (f.problems.size() == before) {
      for (ConstraintViolation<T> v : Validators.get().validate(value)) {
        String ptr = pointer(v.getPropertyPath());
        Object invalid = v.getInvalidValue();
        String found =
            invalid == null
                ? ""
                : (invalid instanceof CharSequence
                        || invalid instanceof Number
                        || invalid instanceof Boolean)
                    ? " (found '" + invalid + "')"
                    : "";
        f.problem(
            ptr,
            label(root, ptr)
                + ": "
                + (invalid == null
                    ? "is required" + explain(v.getMessage())
                    : v.getMessage() + found));
      }
    }
    return value;
  }

  /**
   * A constraint's own message as the fix of "is required", unless it is a Bean Validation default.
   */
  private static String explain(String message) {
    return message.startsWith("must not be") ? "" : " (" + message + ")";
  }

  private static String kindOf(JsonNode n) {
    if (n.isArray()) return "a list";
    if (n.isTextual()) return "a string";
    if (n.isNumber()) return "a number";
    if (n.isBoolean()) return "a boolean";
    if (n.isObject()) return "a mapping";
    return "null";
  }

  /** "node 'x': " / "edge 'a -> b': " / "" for a pointer, plus the parent path of the field. */
  static String subject(JsonNode root, String ptr) {
    String[] parts = ptr.split("/");
    // parts[0] is "" for a leading slash
    StringBuilder sb = new StringBuilder();
    int start = 1;
    if (parts.length > 2
        && (parts[1].equals("nodes") || parts[1].equals("edges"))
        && isIndex(parts[2])) {
      JsonNode el = root.path(parts[1]).path(Integer.parseInt(parts[2]));
      if (parts[1].equals("nodes")) {
        sb.append("node '").append(el.path("id").asText("#" + parts[2])).append("': ");
      } else {
        sb.append("edge '")
            .append(el.path("from").asText("?"))
            .append(" -> ")
            .append(el.path("to").asText("?"))
            .append("': ");
      }
      start = 3;
    }
    for (int i = start; i < parts.length - 1; i++) {
      sb.append(
          isIndex(parts[i]) ? "[" + parts[i] + "]" : (i > start ? "." : "") + unescape(parts[i]));
      if (i == parts.length - 2) sb.append('.');
    }
    return sb.toString();
  }

  /**
   * The subject and field of a value's problem: {@code "checkpoint.path"}, {@code "node 'x':
   * retry.max_attempts"}, a list element as {@code "sections[1]"}.
   */
  static String label(JsonNode root, String ptr) {
    String where = subject(root, ptr);
    String field = unescape(ptr.substring(ptr.lastIndexOf('/') + 1));
    if (isIndex(field) && where.endsWith(".")) {
      return where.substring(0, where.length() - 1) + "[" + field + "]";
    }
    return where + field;
  }

  /**
   * The subject of a problem with a key itself (unknown, duplicate): the mapping that holds it,
   * {@code "checkpoint: "} or {@code "node 'x': retry: "}, empty at the top level.
   */
  static String keySubject(JsonNode root, String ptr) {
    String where = subject(root, ptr);
    return where.endsWith(".") ? where.substring(0, where.length() - 1) + ": " : where;
  }

  private static String unescape(String s) {
    return s.replace("~1", "/").replace("~0", "~");
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  private static String pointer(jakarta.validation.Path path) {
    StringBuilder sb = new StringBuilder();
    for (Node n : path) {
      if (n.isInIterable()) {
        if (n.getIndex() != null) sb.append('/').append(n.getIndex());
        else if (n.getKey() != null)
          sb.append('/').append(LocatedTree.escape(String.valueOf(n.getKey())));
      }
      if (n.getKind() == ElementKind.CONTAINER_ELEMENT
          || n.getName() == null
          || n.getName().startsWith("<")) continue;
      sb.append('/').append(snake(n.getName()));
    }
    return sb.toString();
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) sb.append('_').append(Character.toLowerCase(c));
      else sb.append(c);
    }
    return sb.toString();
  }

  private static String currentPointer(JsonParser p) {
    String ptr = p.getParsingContext().pathAsPointer().toString();
    // inside the problem handler the parser's context may render empty segments ("//key",
    // "/memory/task/"): drop them, a manifest's keys are never empty
    ptr = ptr.replaceAll("/{2,}", "/");
    return ptr.endsWith("/") ? ptr.substring(0, ptr.length() - 1) : ptr;
  }

  private <T> @Nullable T bind(ManifestFile f, ObjectNode root, Class<T> type) {
    DeserializationProblemHandler handler = new ProblemHandler(f, root);
    try {
      return Json.MANIFEST_MAPPER.readerFor(type).withHandler(handler).readValue(root);
    } catch (JsonMappingException e) {
      String ptr =
          e.getPath().stream()
              .map(
                  r ->
                      r.getFieldName() != null
                          ? LocatedTree.escape(r.getFieldName())
                          : String.valueOf(r.getIndex()))
              .collect(Collectors.joining("/", "/", ""));
      if (ptr.equals("/")) ptr = "";
      String msg = e.getOriginalMessage();
      int cut = msg.indexOf('\n');
      if (cut > 0) msg = msg.substring(0, cut);
      f.problem(ptr, label(root, ptr) + ": " + msg);
      return null;
    } catch (IOException e) {
      f.problemAtLine(0, 0, "cannot read the file: " + e.getMessage());
      return null;
    }
  }

  private static boolean isStrictScalar(Class<?> t) {
    return t == Long.class
        || t == long.class
        || t == Integer.class
        || t == int.class
        || t == Double.class
        || t == double.class
        || t == Boolean.class
        || t == boolean.class;
  }

  /**
   * The value bound in place of one that was reported: null, or a zero of a primitive type (the
   * record is discarded, since the file has a problem).
   */
  private static @Nullable Object placeholder(Class<?> t) {
    if (!t.isPrimitive()) return null;
    if (t == boolean.class) return Boolean.FALSE;
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == double.class) return 0.0;
    return null;
  }

  private static String tokenKind(com.fasterxml.jackson.core.JsonToken t) {
    switch (t) {
      case START_ARRAY:
        return "a list";
      case START_OBJECT:
        return "a mapping";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      default:
        return "null";
    }
  }

  private static String article(Class<?> t) {
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class)
      return "a whole number";
    if (t == Double.class || t == double.class || t == Float.class) return "a number";
    if (t == Boolean.class || t == boolean.class) return "true or false";
    if (t == String.class) return "a string";
    return "a valid " + t.getSimpleName();
  }

  /**
   * Reports what Jackson cannot bind (unknown keys, wrong types, bad values) at its place in the
   * file and binds a placeholder instead, so that every problem of a file is found in one pass.
   */
  private static final class ProblemHandler extends DeserializationProblemHandler {
    private final ManifestFile f;
    private final ObjectNode root;

    ProblemHandler(ManifestFile f, ObjectNode root) {
      this.f = f;
      this.root = root;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      String ptr = currentPointer(p);
      if (!ptr.endsWith("/" + LocatedTree.escape(propertyName)))
        ptr = ptr + "/" + LocatedTree.escape(propertyName);
      Collection<Object> known = deserializer.getKnownPropertyNames();
      List<String> names =
          known == null
              ? List.of()
              : known.stream().map(String::valueOf).sorted().collect(Collectors.toList());
      String hint = Suggest.didYouMean(propertyName, names);
      if (hint.isEmpty() && !names.isEmpty())
        hint = " (known keys: " + String.join(", ", names) + ")";
      f.problemAtKey(ptr, keySubject(root, ptr) + "unknown key '" + propertyName + "'" + hint);
      f.withUnknownKey.add(ptr.substring(0, ptr.lastIndexOf('/')));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
      String ptr = currentPointer(ctxt.getParser());
      String msg;
      if (targetType.isEnum()) {
        List<String> allowed =
            Arrays.stream(targetType.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toList());
        String hint = Suggest.didYouMean(value, allowed);
        msg = "'" + value + "' is not one of " + String.join(", ", allowed) + hint;
      } else if (targetType == java.time.Duration.class || isStrictScalar(targetType)) {
        msg = failureMsg;
      } else {
        msg = "'" + value + "' is not " + article(targetType);
      }
      f.problem(ptr, label(root, ptr) + ": " + msg);
      return placeholder(targetType);
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      String ptr = currentPointer(ctxt.getParser());
      f.problem(ptr, label(root, ptr) + ": " + failureMsg);
      return placeholder(targetType);
    }

    /** A scalar where a list is expected ({@code requires: code}): Jackson asks for a creator. */
    @Override
    public @Nullable Object handleMissingInstantiator(
        DeserializationContext ctxt,
        Class<?> instClass,
        ValueInstantiator valueInst,
        JsonParser p,
        String msg)
        throws IOException {
      if (!Collection.class.isAssignableFrom(instClass) || p.currentToken() == null) {
        return NOT_HANDLED;
      }
      String ptr = currentPointer(p);
      f.problem(ptr, label(root, ptr) + ": expected a list, found " + tokenKind(p.currentToken()));
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        com.fasterxml.jackson.core.JsonToken t,
        JsonParser p,
        String failureMsg)
        throws IOException {
      String ptr = currentPointer(p);
      String expected =
          targetType.isCollectionLikeType()
              ? "a list"
              : targetType.isMapLikeType() || targetType.isRecordType()
                  ? "a mapping"
                  : article(targetType.getRawClass());
      f.problem(ptr, label(root, ptr) + ": expected " + expected + ", found " + tokenKind(t));
      p.skipChildren();
      return placeholder(targetType.getRawClass());
    }
  }
}
