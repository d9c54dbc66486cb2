package dev.agentrt.spring;

import dev.agentrt.core.Agent;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.Workflow;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.telemetry.AgentTelemetry;
import dev.agentrt.telemetry.TelemetryMode;
import dev.agentrt.tools.LangChain4jTools;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures an {@link AgentRuntime} bean from the {@code agentrt.*} properties ({@link
 * AgentrtProperties}) and the application's beans:
 *
 * <ul>
 *   <li>LangChain4j {@code ChatModel} and {@code StreamingChatModel} beans, each registered as
 *       {@code models.<bean name>} ({@link AgentRuntime.Builder#model});
 *   <li>beans with LangChain4j {@code @Tool} methods (adapted by {@link LangChain4jTools}) and
 *       beans that are agentrt {@link Tool}s ({@link AgentRuntime.Builder#tool});
 *   <li>{@link NodeFunction} beans, registered under their bean name for {@code kind: function}
 *       nodes;
 *   <li>{@link RunListener} beans;
 *   <li>the application's {@code OpenTelemetry} bean, or else (with agent-telemetry on the
 *       classpath) an {@code AgentTelemetry} the starter creates;
 *   <li>{@link AgentRuntimeCustomizer} beans, last.
 * </ul>
 *
 * <p>The runtime is closed with the application context. {@link AgentrtHealthAutoConfiguration}
 * adds its health indicator. Every bean is {@code @ConditionalOnMissingBean}: declare your own to
 * replace it.
 *
 * @since 0.1
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration"
    })
@ConditionalOnClass(AgentRuntime.class)
@EnableConfigurationProperties(AgentrtProperties.class)
public class AgentrtAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(AgentrtAutoConfiguration.class);

  /** Created by Spring. */
  public AgentrtAutoConfiguration() {}

  /**
   * The runtime, built from the properties and the application's beans, closed with the context.
   *
   * @param properties the {@code agentrt.*} properties
   * @param beans the application's beans (models, tools, functions)
   * @param listeners the {@link RunListener} beans
   * @param openTelemetry the application's {@code OpenTelemetry} bean, if it has one
   * @param telemetry agentrt's own telemetry, when agent-telemetry is on the classpath
   * @param customizers the {@link AgentRuntimeCustomizer} beans
   * @return the runtime
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AgentRuntime agentRuntime(
      AgentrtProperties properties,
      ListableBeanFactory beans,
      ObjectProvider<RunListener> listeners,
      ObjectProvider<OpenTelemetry> openTelemetry,
      ObjectProvider<AgentrtTelemetry> telemetry,
      ObjectProvider<AgentRuntimeCustomizer> customizers) {
    AgentRuntime.Builder builder = AgentRuntime.builder().closeTimeout(properties.closeTimeout());
    Map<String, Workflow> workflows = beans.getBeansOfType(Workflow.class);
    Map<String, Agent> agents = beans.getBeansOfType(Agent.class);
    workflows.values().forEach(builder::workflow);
    agents.values().forEach(builder::agent);
    if (Files.isDirectory(properties.configDir()) || (workflows.isEmpty() && agents.isEmpty())) {
      builder.configDir(properties.configDir());
    } else {
      log.info(
          "agentrt: no directory {}; the runtime has the workflows and agents defined as beans",
          properties.configDir().toAbsolutePath());
    }
    OpenTelemetry applicationOtel = openTelemetry.getIfUnique();
    AgentrtTelemetry own = applicationOtel == null ? telemetry.getIfAvailable() : null;
    if (applicationOtel != null) {
      builder.openTelemetry(applicationOtel);
      if (properties.telemetry().mode() != null) {
        log.warn(
            "agentrt.telemetry.mode is ignored: runs are traced with the application's"
                + " OpenTelemetry bean, which exports what it receives");
      }
    } else if (own != null) {
      own.apply(builder);
    }

    for (Map.Entry<String, Object> model : models(beans).entrySet()) {
      builder.model(model.getKey(), model.getValue());
    }
    beans.getBeansOfType(Tool.class).values().forEach(builder::tool);
    for (Object toolBean : toolBeans(beans)) {
      LangChain4jTools.from(toolBean).forEach(builder::tool);
    }
    beans.getBeansOfType(NodeFunction.class).forEach(builder::function);
    listeners.orderedStream().forEach(builder::listener);

    // opened last, so that nothing above can fail with the store open; a customizer may replace it
    // (then leave agentrt.store.type at config)
    CheckpointStore store = store(properties.store());
    if (store != null) builder.checkpointStore(store);
    AgentRuntime runtime;
    try {
      customizers.orderedStream().forEach(c -> c.customize(builder));
      runtime = builder.build();
    } catch (RuntimeException e) {
      // a store opened here for a runtime that was not built (closing twice does no harm)
      if (store != null) store.close();
      throw e;
    }
    if (own != null) {
      try {
        own.configure(runtime, properties.telemetry().mode());
      } catch (RuntimeException e) {
        runtime.close();
        throw e;
      }
    }
    return runtime;
  }

  /** The store {@code agentrt.store.type} selects, or null for config.yml's. */
  private static @Nullable CheckpointStore store(AgentrtProperties.Store store) {
    switch (store.type()) {
      case SQLITE:
        if (!ClassUtils.isPresent("dev.agentrt.memory.SqliteCheckpointStore", null)) {
          throw new IllegalStateException(
              "agentrt.store.type=sqlite needs the SQLite store on the classpath"
                  + " (add dependency dev.agentrt:agent-memory)");
        }
        return SqliteStores.open(store.path());
      case MEMORY:
        return CheckpointStore.inMemory(store.maxRuns());
      case NONE:
        return CheckpointStore.none();
      case CONFIG:
      default:
        return null;
    }
  }

  /**
   * The LangChain4j chat model beans by bean name, in the order the context declares them; a bean
   * that is both a {@code ChatModel} and a {@code StreamingChatModel} appears once.
   */
  static Map<String, Object> models(ListableBeanFactory beans) {
    Map<String, Object> models = new LinkedHashMap<>(beans.getBeansOfType(ChatModel.class));
    beans.getBeansOfType(StreamingChatModel.class).forEach(models::putIfAbsent);
    return models;
  }

  /**
   * The singleton beans whose class declares a LangChain4j {@code @Tool} method, found from the
   * bean definitions' types without creating other beans.
   */
  static List<Object> toolBeans(ListableBeanFactory beans) {
    Set<Object> found = new LinkedHashSet<>();
    for (String name : beans.getBeanNamesForType(Object.class, false, false)) {
      Class<?> type = beans.getType(name, false);
      if (type != null && hasToolMethod(ClassUtils.getUserClass(type))) {
        Object bean = beans.getBean(name);
        if (ClassUtils.getUserClass(bean) != bean.getClass()) {
          // LangChain4jTools reads the @Tool methods of the object's own class
          throw new IllegalStateException(
              "bean '"
                  + name
                  + "' has @Tool methods but is a proxy ("
                  + bean.getClass().getName()
                  + "): register its tools with an AgentRuntimeCustomizer"
                  + " (LangChain4jTools.from(target).forEach(builder::tool)), or remove the proxy");
        }
        found.add(bean);
      }
    }
    return List.copyOf(found);
  }

  private static boolean hasToolMethod(Class<?> type) {
    if (type.getName().startsWith("org.springframework.")) return false;
    for (Method m : type.getDeclaredMethods()) {
      if (m.isAnnotationPresent(dev.langchain4j.agent.tool.Tool.class)) return true;
    }
    return false;
  }

  /** agentrt's own telemetry, when agent-telemetry is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(AgentTelemetry.class)
  static class OwnTelemetryConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({AgentTelemetry.class, OpenTelemetry.class})
    AgentTelemetry agentTelemetry() {
      return AgentTelemetry.create();
    }

    @Bean
    @ConditionalOnBean(AgentTelemetry.class)
    @ConditionalOnMissingBean(OpenTelemetry.class)
    AgentrtTelemetry agentrtTelemetry(AgentTelemetry telemetry) {
      return new AgentrtTelemetry() {
        @Override
        public void apply(AgentRuntime.Builder builder) {
          builder.openTelemetry(telemetry.openTelemetry()).listener(telemetry.runListener());
        }

        @Override
        public void configure(
            AgentRuntime runtime, AgentrtProperties.@Nullable TelemetryModeSetting mode) {
          telemetry.configure(runtime.manifests());
          if (mode != null) telemetry.setMode(TelemetryMode.valueOf(mode.name()));
        }
      };
    }
  }
}
