package dev.agentrt.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Replaces a model of {@code config.yml} by a script in an {@link AgentTest}: on the test class
 * (every test) or on a test method (that test). For one model, a method's script wins over a {@link
 * TestModel} field, which wins over the class's script.
 *
 * @since 0.1
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Script.List.class)
public @interface Script {
  /** The model's key in {@code models:}. */
  String model();

  /** The script, relative to the configuration directory (format of {@code provider: scripted}). */
  String file();

  /** Several {@link Script}s. */
  @Documented
  @Inherited
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  @interface List {
    /** The scripts. */
    Script[] value();
  }
}
