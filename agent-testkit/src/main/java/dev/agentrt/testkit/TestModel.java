package dev.agentrt.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of an {@link AgentTest} class whose value (a {@code dev.agentrt.llm.ScriptedModel}
 * or any LangChain4j {@code ChatModel}) is registered as model {@link #value()} of the injected
 * runtime. Static and instance fields work; the field is read when the runtime is built.
 *
 * <pre>{@code
 * @TestModel("default")
 * ScriptedModel model = ScriptedModel.builder().answer("{\"verdict\":\"approve\"}").build();
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface TestModel {
  /** The model's key in {@code models:}. */
  String value();
}
