package dev.agentrt.tools;

import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.tools.internal.LangChain4jAdapter;
import java.util.List;
import java.util.Objects;

/**
 * Adapts objects with LangChain4j {@code @Tool}-annotated methods into {@link Tool}s, so that the
 * same ToolBus (policy, schema validation, timeout, journal, listeners) runs them as any other
 * tool. Register the result with {@code AgentRuntime.builder().tool(...)} or
 * {@code ToolBus.builder().tools(...)}.
 *
 * <pre>{@code
 * class Weather {
 *   @dev.langchain4j.agent.tool.Tool("Current temperature of a city, in Celsius")
 *   double temperature(@P("city name") String city) { ... }
 * }
 * AgentRuntime.Builder b = AgentRuntime.builder();
 * LangChain4jTools.from(Effect.NONE, new Weather()).forEach(b::tool);
 * }</pre>
 *
 * <p>For each {@code @Tool} method (declared by the object's class, in method-name order):
 * <ul>
 *   <li><b>name</b>: {@code @Tool(name = ...)} or the method name, in snake_case
 *       ({@code currentTemperature} becomes {@code current_temperature}), since tool names are
 *       lower case;
 *   <li><b>description</b>: the {@code @Tool} text;
 *   <li><b>argument schema</b>: LangChain4j's own ({@code ToolSpecifications.toolSpecificationFrom}),
 *       written as JSON Schema; parameter names come from the class file, so compile the class with
 *       {@code javac -parameters} or name them with {@code @P}; properties other than the
 *       parameters are refused ({@code additionalProperties: false});
 *   <li><b>execution</b>: LangChain4j's {@code DefaultToolExecutor}, with its argument coercion
 *       (records and other objects bind with Jackson);
 *   <li><b>result</b>: a returned {@code String} becomes a JSON string, {@code void} the text
 *       {@code "Success"} (as LangChain4j tells a model), any other value its JSON form (a record
 *       becomes an object, so {@code kind: tool} nodes can read its fields);
 *   <li><b>errors</b>: arguments LangChain4j cannot convert are an {@code INVALID_ARGUMENTS}
 *       failure, and an exception thrown by the method an {@code ERROR} failure carrying its class
 *       and message, which a model can read; nothing is thrown at the caller.
 * </ul>
 *
 * <p>Needs {@code dev.langchain4j:langchain4j} (1.19.0) on the classpath; agent-tools declares it
 * optional so that users who do not adapt LangChain4j tools do not carry it. The objects' methods
 * are called concurrently from ToolBus threads, so the objects must be thread-safe.
 *
 * @since 0.1
 */
public final class LangChain4jTools {
  private LangChain4jTools() {}

  /**
   * The {@code @Tool} methods of {@code beans} as tools with effect {@link Effect#NON_IDEMPOTENT}.
   *
   * <p>Why that default: the adapter cannot see what a method does, so it assumes the worst. A
   * resumed run then never silently repeats a call that was started and not recorded (it waits with
   * {@code INDETERMINATE_EFFECT} instead), which is what a method that sends a message or charges a
   * card needs. Declare {@link Effect#NONE} with {@link #from(Effect, Object...)} for read-only
   * objects, so their calls are recorded at once and never block a resume.
   *
   * @throws IllegalArgumentException if an object has no {@code @Tool} method, a name is not a
   *     valid tool name, or two methods give the same name (naming both)
   * @throws IllegalStateException if LangChain4j is not on the classpath
   */
  public static List<Tool> from(Object... beans) {
    return from(Effect.NON_IDEMPOTENT, beans);
  }

  /**
   * The {@code @Tool} methods of {@code beans} as tools, each declaring {@code effect}.
   *
   * @throws IllegalArgumentException if an object has no {@code @Tool} method, a name is not a
   *     valid tool name, or two methods give the same name (naming both)
   * @throws IllegalStateException if LangChain4j is not on the classpath
   */
  public static List<Tool> from(Effect effect, Object... beans) {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(beans, "beans");
    try {
      Class.forName(
          "dev.langchain4j.service.tool.DefaultToolExecutor",
          false,
          LangChain4jTools.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "LangChain4jTools needs LangChain4j on the classpath (add dependency "
              + "dev.langchain4j:langchain4j:1.19.0)",
          e);
    }
    return LangChain4jAdapter.tools(effect, List.of(beans));
  }
}
