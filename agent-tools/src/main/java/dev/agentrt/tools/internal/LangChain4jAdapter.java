package dev.agentrt.tools.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns LangChain4j {@code @Tool} methods into {@link Tool}s; see {@code
 * dev.agentrt.tools.LangChain4jTools}.
 */
public final class LangChain4jAdapter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private LangChain4jAdapter() {}

  /** One tool per {@code @Tool} method of each bean, in bean order, then method-name order. */
  public static List<Tool> tools(Effect effect, List<Object> beans) {
    List<Tool> out = new ArrayList<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Object bean : beans) {
      List<Method> methods = new ArrayList<>();
      for (Method m : bean.getClass().getDeclaredMethods()) {
        if (m.isAnnotationPresent(dev.langchain4j.agent.tool.Tool.class)) methods.add(m);
      }
      if (methods.isEmpty()) {
        throw new IllegalArgumentException(
            bean.getClass().getName()
                + " has no method annotated with "
                + "@dev.langchain4j.agent.tool.Tool (annotate the methods a model may call)");
      }
      methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
      for (Method m : methods) {
        MethodTool t = new MethodTool(bean, m, effect);
        String where = bean.getClass().getName() + "#" + m.getName();
        String prev = origin.putIfAbsent(t.descriptor.name(), where);
        if (prev != null) {
          throw new IllegalArgumentException(
              "two LangChain4j tools named '"
                  + t.descriptor.name()
                  + "': "
                  + prev
                  + ", "
                  + where
                  + " (give one another name with @Tool(name = \"...\"))");
        }
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** One {@code @Tool} method. */
  static final class MethodTool implements Tool {
    private final ToolDescriptor descriptor;
    private final String specName;
    private final DefaultToolExecutor executor;

    MethodTool(Object bean, Method method, Effect effect) {
      String where = bean.getClass().getName() + "#" + method.getName();
      try {
        method.setAccessible(true);
      } catch (InaccessibleObjectException | SecurityException e) {
        throw new IllegalArgumentException(
            "LangChain4j tool "
                + where
                + " cannot be called: "
                + e.getMessage()
                + " (make the class and method public, or open its package)",
            e);
      }
      ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(method);
      this.specName = spec.name();
      String name = snake(spec.name());
      try {
        this.descriptor =
            new ToolDescriptor(
                name,
                spec.description() == null ? "" : spec.description(),
                parameters(spec.parameters()),
                Set.of(),
                effect);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "LangChain4j tool " + where + ": " + e.getMessage() + " (set @Tool(name = \"...\"))",
            e);
      }
      this.executor =
          DefaultToolExecutor.builder()
              .object(bean)
              .originalMethod(method)
              .methodToInvoke(method)
              .wrapToolArgumentsExceptions(true)
              .propagateToolExecutionExceptions(true)
              .build();
    }

    @Override
    public ToolDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) throws JsonProcessingException {
      ToolExecutionRequest request =
          ToolExecutionRequest.builder()
              .id(call.id())
              .name(specName)
              .arguments(JSON.writeValueAsString(call.arguments()))
              .build();
      ToolExecutionResult r;
      try {
        r = executor.executeWithContext(request, InvocationContext.builder().build());
      } catch (ToolArgumentsException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        String msg =
            c instanceof JsonProcessingException j ? j.getOriginalMessage() : c.getMessage();
        return ToolResult.failure(
            ToolFailureKind.INVALID_ARGUMENTS,
            "tool '" + descriptor.name() + "': invalid arguments: " + msg);
      } catch (RuntimeException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        String msg = c.getMessage();
        return ToolResult.failure(
            ToolFailureKind.ERROR,
            "tool '"
                + descriptor.name()
                + "': call "
                + call.id()
                + " failed: "
                + c.getClass().getSimpleName()
                + (msg == null ? "" : ": " + msg));
      }
      if (r.isError())
        return ToolResult.failure(
            ToolFailureKind.ERROR, "tool '" + descriptor.name() + "': " + r.resultText());
      return ToolResult.success(value(r.result(), r.resultText()));
    }

    private static JsonNode value(@Nullable Object result, String text) {
      if (result == null) return TextNode.valueOf(text);
      if (result instanceof String s) return TextNode.valueOf(s);
      try {
        return JSON.valueToTree(result);
      } catch (IllegalArgumentException e) {
        return TextNode.valueOf(text);
      }
    }
  }

  /** {@code getWeather} as {@code get_weather}. */
  static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0 && camel.charAt(i - 1) != '_' && camel.charAt(i - 1) != '.') sb.append('_');
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The arguments object schema: the method's parameters, nothing else. */
  static ObjectNode parameters(@Nullable JsonObjectSchema params) {
    ObjectNode o =
        params == null
            ? NODES.objectNode().put("type", "object").set("properties", NODES.objectNode())
            : (ObjectNode) schema(params);
    if (!o.has("additionalProperties")) o.put("additionalProperties", false);
    if (params != null && !params.definitions().isEmpty()) {
      ObjectNode defs = o.putObject("$defs");
      params.definitions().forEach((k, v) -> defs.set(k, schema(v)));
    }
    return o;
  }

  /** One LangChain4j schema element as JSON Schema (draft 2020-12). */
  static JsonNode schema(JsonSchemaElement e) {
    ObjectNode o = NODES.objectNode();
    if (e instanceof JsonRawSchema raw) {
      try {
        return JSON.readTree(raw.schema());
      } catch (JsonProcessingException ex) {
        throw new IllegalArgumentException(
            "a raw LangChain4j schema is not JSON: " + ex.getOriginalMessage(), ex);
      }
    }
    if (e instanceof JsonObjectSchema obj) {
      o.put("type", "object");
      ObjectNode props = o.putObject("properties");
      obj.properties().forEach((k, v) -> props.set(k, schema(v)));
      if (obj.required() != null && !obj.required().isEmpty()) {
        ArrayNode req = o.putArray("required");
        obj.required().forEach(req::add);
      }
      if (obj.additionalProperties() != null)
        o.put("additionalProperties", obj.additionalProperties());
    } else if (e instanceof JsonStringSchema) {
      o.put("type", "string");
    } else if (e instanceof JsonIntegerSchema) {
      o.put("type", "integer");
    } else if (e instanceof JsonNumberSchema) {
      o.put("type", "number");
    } else if (e instanceof JsonBooleanSchema) {
      o.put("type", "boolean");
    } else if (e instanceof JsonNullSchema) {
      o.put("type", "null");
    } else if (e instanceof JsonEnumSchema en) {
      o.put("type", "string");
      ArrayNode values = o.putArray("enum");
      en.enumValues().forEach(values::add);
    } else if (e instanceof JsonArraySchema arr) {
      o.put("type", "array");
      if (arr.items() != null) o.set("items", schema(arr.items()));
    } else if (e instanceof JsonAnyOfSchema any) {
      ArrayNode l = o.putArray("anyOf");
      any.anyOf().forEach(x -> l.add(schema(x)));
    } else if (e instanceof JsonReferenceSchema ref) {
      o.put("$ref", "#/$defs/" + ref.reference());
    } else {
      throw new IllegalArgumentException(
          "unsupported LangChain4j schema element " + e.getClass().getName());
    }
    if (e.description() != null) o.put("description", e.description());
    return o;
  }
}
