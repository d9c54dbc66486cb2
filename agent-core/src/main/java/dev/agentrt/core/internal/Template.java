package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML value in which a string that is exactly {@code {{path}}} becomes the JSON value at that
 * path of state and {@code {{path}}} inside a longer string is interpolated (ARCHITECTURE §3).
 * Compiled once at load; evaluation copies only the parts that contain references.
 */
public abstract class Template {
  private static final Pattern REF = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

  /** Evaluates against state; throws {@link TemplateException} naming a path that is missing. */
  public abstract JsonNode evaluate(Function<String, JsonNode> roots);

  /** Every path the template reads. */
  public abstract void paths(Consumer<StatePath> sink);

  /** Compiles {@code value}; throws IllegalArgumentException for a malformed path. */
  public static Template compile(JsonNode value) {
    if (value.isTextual()) {
      String s = value.asText();
      Matcher m = REF.matcher(s);
      if (!m.find()) return new Const(value);
      if (m.start() == 0 && m.end() == s.length()) return new Ref(StatePath.parse(m.group(1)));
      List<Object> parts = new ArrayList<>();
      int last = 0;
      m.reset();
      while (m.find()) {
        if (m.start() > last) parts.add(s.substring(last, m.start()));
        parts.add(StatePath.parse(m.group(1)));
        last = m.end();
      }
      if (last < s.length()) parts.add(s.substring(last));
      return new Interpolation(parts);
    }
    if (value.isObject()) {
      Map<String, Template> fields = new LinkedHashMap<>();
      boolean dynamic = false;
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        Template t = compile(e.getValue());
        dynamic |= !(t instanceof Const);
        fields.put(e.getKey(), t);
      }
      return dynamic ? new ObjectT(fields) : new Const(value);
    }
    if (value.isArray()) {
      List<Template> items = new ArrayList<>();
      boolean dynamic = false;
      for (JsonNode v : value) {
        Template t = compile(v);
        dynamic |= !(t instanceof Const);
        items.add(t);
      }
      return dynamic ? new ArrayT(items) : new Const(value);
    }
    return new Const(value);
  }

  static JsonNode resolve(StatePath path, Function<String, JsonNode> roots) {
    JsonNode v = path.read(roots);
    if (v.isMissingNode()) throw new TemplateException(path.text);
    return v;
  }

  /** A path a template reads is not in state. */
  public static final class TemplateException extends RuntimeException {
    private final String path;

    TemplateException(String path) {
      super("template path '" + path + "' is not in state");
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  private static final class Const extends Template {
    private final JsonNode value;

    Const(JsonNode value) {
      this.value = value;
    }

    @Override
    public JsonNode evaluate(Function<String, JsonNode> roots) {
      return value;
    }

    @Override
    public void paths(Consumer<StatePath> sink) {}
  }

  private static final class Ref extends Template {
    private final StatePath path;

    Ref(StatePath path) {
      this.path = path;
    }

    @Override
    public JsonNode evaluate(Function<String, JsonNode> roots) {
      return resolve(path, roots);
    }

    @Override
    public void paths(Consumer<StatePath> sink) {
      sink.accept(path);
    }
  }

  private static final class Interpolation extends Template {
    private final Object[] parts;

    Interpolation(List<Object> parts) {
      this.parts = parts.toArray();
    }

    @Override
    public JsonNode evaluate(Function<String, JsonNode> roots) {
      StringBuilder sb = new StringBuilder();
      for (Object p : parts) {
        if (p instanceof String s) {
          sb.append(s);
        } else {
          JsonNode v = resolve((StatePath) p, roots);
          sb.append(v.isValueNode() ? v.asText() : v.toString());
        }
      }
      return Json.NODES.textNode(sb.toString());
    }

    @Override
    public void paths(Consumer<StatePath> sink) {
      for (Object p : parts) {
        if (p instanceof StatePath sp) sink.accept(sp);
      }
    }
  }

  private static final class ObjectT extends Template {
    private final Map<String, Template> fields;

    ObjectT(Map<String, Template> fields) {
      this.fields = fields;
    }

    @Override
    public JsonNode evaluate(Function<String, JsonNode> roots) {
      ObjectNode o = Json.NODES.objectNode();
      fields.forEach((k, t) -> o.set(k, t.evaluate(roots)));
      return o;
    }

    @Override
    public void paths(Consumer<StatePath> sink) {
      fields.values().forEach(t -> t.paths(sink));
    }
  }

  private static final class ArrayT extends Template {
    private final List<Template> items;

    ArrayT(List<Template> items) {
      this.items = items;
    }

    @Override
    public JsonNode evaluate(Function<String, JsonNode> roots) {
      ArrayNode a = Json.NODES.arrayNode(items.size());
      for (Template t : items) a.add(t.evaluate(roots));
      return a;
    }

    @Override
    public void paths(Consumer<StatePath> sink) {
      items.forEach(t -> t.paths(sink));
    }
  }
}
