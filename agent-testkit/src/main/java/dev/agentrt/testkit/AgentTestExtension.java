package dev.agentrt.testkit;

import dev.agentrt.core.AgentRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link AgentTest}: builds the test's runtime when a parameter asks
 * for it, and closes it and deletes its directory after the test.
 *
 * @since 0.1
 */
public final class AgentTestExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(AgentTestExtension.class);

  /** Created by JUnit. */
  public AgentTestExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == AgentRuntime.class || type == AgentTestContext.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Context c = context(context);
    return parameter.getParameter().getType() == AgentRuntime.class ? c.runtime() : c;
  }

  private static Context context(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NS);
    return store.getOrComputeIfAbsent("context", k -> prepare(context), Context.class);
  }

  private static Context prepare(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    AgentTest settings =
        AnnotationSupport.findAnnotation(testClass, AgentTest.class)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        testClass.getName() + " is not annotated with @AgentTest"));
    Path tempDir;
    try {
      tempDir = Files.createTempDirectory("agentrt-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    AgentTestRuntime.Builder b =
        AgentTestRuntime.builder(Path.of(settings.config()), tempDir)
            .store(settings.store())
            .clock(clock(settings, testClass));
    if (!settings.workspace().isEmpty()) b.workspace(Path.of(settings.workspace()));
    // a method's @Script wins over a @TestModel field, which wins over the class's @Script
    Map<String, String> classScripts = scripts(testClass);
    Map<String, String> methodScripts =
        context.getTestMethod().map(AgentTestExtension::scripts).orElse(Map.of());
    Map<String, Object> models = models(testClass, context.getTestInstance());
    models.keySet().removeAll(methodScripts.keySet());
    classScripts.keySet().removeAll(models.keySet());
    classScripts.putAll(methodScripts);
    classScripts.forEach(b::script);
    models.forEach(b::model);
    Context c = new Context(b, tempDir);
    try {
      c.built = b.buildIn();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    c.runtimes.add(c.built.runtime());
    return c;
  }

  private static Clock clock(AgentTest settings, Class<?> testClass) {
    try {
      return Clock.fixed(Instant.parse(settings.clock()), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new ExtensionConfigurationException(
          testClass.getName()
              + ": @AgentTest(clock = \""
              + settings.clock()
              + "\") is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    }
  }

  /** The {@link Script}s on a class or method, by model. */
  private static Map<String, String> scripts(java.lang.reflect.AnnotatedElement element) {
    Map<String, String> scripts = new LinkedHashMap<>();
    for (Script s : AnnotationSupport.findRepeatableAnnotations(element, Script.class)) {
      scripts.put(s.model(), s.file());
    }
    return scripts;
  }

  /** The values of the {@link TestModel} fields. */
  private static Map<String, Object> models(Class<?> testClass, Optional<Object> instance) {
    Map<String, Object> models = new LinkedHashMap<>();
    List<Field> fields =
        AnnotationSupport.findAnnotatedFields(
            testClass, TestModel.class, f -> true, HierarchyTraversalMode.TOP_DOWN);
    for (Field f : fields) {
      String name = f.getAnnotation(TestModel.class).value();
      boolean isStatic = Modifier.isStatic(f.getModifiers());
      if (!isStatic && instance.isEmpty()) {
        throw new ExtensionConfigurationException(
            "@TestModel field "
                + f.getName()
                + " is not static: inject the runtime into a test method, not a constructor");
      }
      Object value;
      try {
        f.setAccessible(true);
        value = f.get(isStatic ? null : instance.get());
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new ExtensionConfigurationException(
            "cannot read @TestModel field " + f.getName() + ": " + e, e);
      }
      if (value == null) {
        throw new ExtensionConfigurationException(
            "@TestModel(\"" + name + "\") field " + f.getName() + " is null");
      }
      if (models.putIfAbsent(name, value) != null) {
        throw new ExtensionConfigurationException("two @TestModel fields for model '" + name + "'");
      }
    }
    return models;
  }

  /**
   * One test's runtimes and directory; closed by JUnit after the test (an AutoCloseable in the
   * store).
   */
  private static final class Context implements AgentTestContext, AutoCloseable {
    final AgentTestRuntime.Builder builder;
    final Path tempDir;
    final List<AgentRuntime> runtimes = new ArrayList<>();
    AgentTestRuntime.Builder.@Nullable Built built;

    Context(AgentTestRuntime.Builder builder, Path tempDir) {
      this.builder = builder;
      this.tempDir = tempDir;
    }

    private AgentTestRuntime.Builder.Built built() {
      if (built == null) throw new ParameterResolutionException("the test runtime was not built");
      return built;
    }

    @Override
    public AgentRuntime runtime() {
      return built().runtime();
    }

    @Override
    public Path configDir() {
      return built().configDir();
    }

    @Override
    public Path workspace() {
      return built().workspace();
    }

    @Override
    public synchronized AgentRuntime newRuntime() {
      AgentRuntime rt = builder.open(configDir());
      runtimes.add(rt);
      return rt;
    }

    @Override
    public synchronized void close() {
      RuntimeException failure = null;
      for (AgentRuntime rt : runtimes) {
        try {
          rt.close();
        } catch (RuntimeException e) {
          if (failure == null) failure = e;
          else failure.addSuppressed(e);
        }
      }
      delete(tempDir);
      if (failure != null) throw failure;
    }

    private static void delete(Path dir) {
      try {
        Files.walkFileTree(
            dir,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                  throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult postVisitDirectory(Path d, @Nullable IOException e)
                  throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException e) {
        // a leftover temporary directory is not the test's failure
      }
    }
  }
}
