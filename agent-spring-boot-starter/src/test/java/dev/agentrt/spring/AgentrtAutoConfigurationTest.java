package dev.agentrt.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.Workflow;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.llm.ScriptedModel;
import dev.agentrt.telemetry.AgentTelemetry;
import dev.agentrt.telemetry.TelemetryMode;
import dev.agentrt.tools.LangChain4jTools;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AgentrtAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AgentrtAutoConfiguration.class, AgentrtHealthAutoConfiguration.class))
          .withPropertyValues("agentrt.config-dir=src/test/agent");

  @Test
  void runsAWorkflowWithTheApplicationsChatModelToolAndListenerBeans() {
    runner
        .withUserConfiguration(AppBeans.class)
        .run(
            context -> {
              AgentRuntime runtime = context.getBean(AgentRuntime.class);
              RunResult result = runtime.run("order-status", Map.of("order", "A-7"));

              assertThat(result.isCompleted()).as(result.toString()).isTrue();
              assertThat(result.output().asText()).isEqualTo("Order A-7 has shipped.");
              // the model bean answered, after the @Tool bean's method ran with its arguments
              assertThat(context.getBean("chat", ScriptedModel.class).calls()).isEqualTo(2);
              assertThat(context.getBean(Orders.class).looked).containsExactly("A-7");
              assertThat(context.getBean(Recorder.class).events)
                  .anyMatch(e -> e instanceof RunEvent.RunCompleted);
            });
  }

  @Test
  void workflowBeans_withoutAConfigurationDirectory_areTheRuntimesWorkflows() {
    runner
        .withPropertyValues("agentrt.config-dir=target/no-such-agent-dir")
        .withBean(
            "echo",
            Workflow.class,
            () ->
                Workflow.builder("echo")
                    .node(Workflow.Node.start("start"))
                    .node(Workflow.Node.exit("done").output("{{input.text}}"))
                    .edge("start", "done")
                    .build())
        .run(
            context -> {
              RunResult r =
                  context.getBean(AgentRuntime.class).run("echo", Map.of("text", "hello"));
              assertThat(r.isCompleted()).as(r.toString()).isTrue();
              assertThat(r.output().asText()).isEqualTo("hello");
            });
  }

  @Test
  void aCustomizerRunsLastAndItsSettingsApply() {
    runner
        .withUserConfiguration(AppBeans.class)
        .withBean(
            AgentRuntimeCustomizer.class,
            () -> b -> b.runIds(() -> "run-from-customizer-" + System.nanoTime()))
        .run(
            context -> {
              RunResult r =
                  context.getBean(AgentRuntime.class).run("order-status", Map.of("order", "A-7"));
              assertThat(r.runId()).startsWith("run-from-customizer-");
            });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnRuntime() {
    runner
        .withUserConfiguration(AppBeans.class, OwnRuntime.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(AgentRuntime.class);
              assertThat(context.getBean(AgentRuntime.class))
                  .isSameAs(context.getBean(OwnRuntime.class).runtime);
            });
  }

  @Test
  void closesTheRuntimeWithTheContext() {
    AgentRuntime[] runtime = new AgentRuntime[1];
    runner
        .withUserConfiguration(AppBeans.class)
        .run(context -> runtime[0] = context.getBean(AgentRuntime.class));

    assertThatThrownBy(() -> runtime[0].run("order-status", Map.of("order", "A-7")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void storeTypeSelectsTheCheckpointStore(@TempDir Path dir) {
    Path db = dir.resolve("runs.db");
    runner
        .withUserConfiguration(AppBeans.class)
        .withPropertyValues("agentrt.store.type=sqlite", "agentrt.store.path=" + db)
        .run(
            context -> {
              AgentRuntime runtime = context.getBean(AgentRuntime.class);
              RunResult r = runtime.run("order-status", Map.of("order", "A-7"));
              assertThat(runtime.checkpointStore().getClass().getSimpleName())
                  .isEqualTo("SqliteCheckpointStore");
              assertThat(runtime.checkpointStore().find(r.runId())).isPresent();
              assertThat(Files.exists(db)).isTrue();
            });
    runner
        .withUserConfiguration(AppBeans.class)
        .withPropertyValues("agentrt.store.type=none")
        .run(
            context -> {
              AgentRuntime runtime = context.getBean(AgentRuntime.class);
              RunResult r = runtime.run("order-status", Map.of("order", "A-7"));
              assertThat(runtime.checkpointStore().find(r.runId())).isEmpty();
            });
  }

  @Test
  void sqliteWithoutAgentMemoryFailsSayingWhatToAdd() {
    runner
        .withUserConfiguration(AppBeans.class)
        .withClassLoader(new FilteredClassLoader("dev.agentrt.memory."))
        .withPropertyValues("agentrt.store.type=sqlite")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("add dependency dev.agentrt:agent-memory"));
  }

  @Test
  void aManifestProblemFailsTheContextNamingTheFile() {
    runner
        // no ChatModel bean named "chat": the agent's model is unknown
        .withUserConfiguration(ToolsOnly.class)
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("agents/clerk.yml")
                    .hasMessageContaining("chat"));
  }

  @Test
  void tracesRunsWithTheApplicationsOpenTelemetryBean() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    runner
        .withUserConfiguration(AppBeans.class)
        .withBean(
            OpenTelemetry.class,
            () ->
                OpenTelemetrySdk.builder()
                    .setTracerProvider(
                        SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(spans))
                            .build())
                    .build())
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(AgentTelemetry.class);
              context.getBean(AgentRuntime.class).run("order-status", Map.of("order", "A-7"));
              assertThat(spans.getFinishedSpanItems())
                  .extracting(SpanData::getName)
                  .anyMatch(name -> name.startsWith("agentrt.run"))
                  .anyMatch(name -> name.startsWith("agentrt.node answer"))
                  .contains("execute_tool lookup_order");
            });
  }

  @Test
  void withoutAnOpenTelemetryBeanUsesAgentTelemetryWithTheConfiguredMode() {
    runner
        .withUserConfiguration(AppBeans.class)
        .withPropertyValues("agentrt.telemetry.mode=debug")
        .run(
            context ->
                assertThat(context.getBean(AgentTelemetry.class).mode())
                    .isEqualTo(TelemetryMode.DEBUG));
  }

  @Test
  void healthIsUpWithTheStoreAndTheModels() {
    runner
        .withUserConfiguration(AppBeans.class)
        .run(
            context -> {
              Health health =
                  context.getBean("agentrtHealthIndicator", HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("models", java.util.Set.of("chat"))
                  .containsEntry("workflows", java.util.Set.of("order-status"));
            });
  }

  @Test
  void healthIsDownOnceTheStoreNoLongerAnswers(@TempDir Path dir) {
    runner
        .withUserConfiguration(AppBeans.class)
        .withPropertyValues(
            "agentrt.store.type=sqlite", "agentrt.store.path=" + dir.resolve("r.db"))
        .run(
            context -> {
              context.getBean(AgentRuntime.class).checkpointStore().close();
              Health health =
                  context.getBean("agentrtHealthIndicator", HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            });
  }

  @Test
  void noHealthIndicatorWithoutSpringBootHealth() {
    runner
        .withUserConfiguration(AppBeans.class)
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context).doesNotHaveBean("agentrtHealthIndicator"));
  }

  @Test
  void aProxiedToolBeanFailsTheContextSayingWhatToDo() {
    runner
        .withUserConfiguration(AppBeans.class)
        .withBean(
            "proxiedOrders",
            Orders.class,
            () -> {
              ProxyFactory proxy = new ProxyFactory(new Orders());
              proxy.setProxyTargetClass(true);
              return (Orders) proxy.getProxy();
            })
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("bean 'proxiedOrders' has @Tool methods but is a proxy")
                    .hasMessageContaining("AgentRuntimeCustomizer"));
  }

  /** An application's beans: a chat model, a bean with a @Tool method, a run listener. */
  @Configuration(proxyBeanMethods = false)
  static class AppBeans {
    @Bean
    ChatModel chat() {
      return ScriptedModel.builder()
          .toolCall("lookup_order", Map.of("id", "A-7"))
          .answer("Order A-7 has shipped.")
          .build();
    }

    @Bean
    Orders orders() {
      return new Orders();
    }

    @Bean
    Recorder recorder() {
      return new Recorder();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ToolsOnly {
    @Bean
    Orders orders() {
      return new Orders();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRuntime {
    final AgentRuntime runtime =
        AgentRuntime.builder()
            .configDir(Path.of("src/test/agent"))
            .model("chat", ScriptedModel.builder().answer("own").build())
            .tool(LangChain4jTools.from(new Orders()).get(0))
            .build();

    @Bean(destroyMethod = "close")
    AgentRuntime myRuntime() {
      return runtime;
    }
  }

  static class Orders {
    final List<String> looked = new CopyOnWriteArrayList<>();

    @Tool("The shipping status of an order")
    String lookupOrder(String id) {
      looked.add(id);
      return "shipped";
    }
  }

  static class Recorder implements RunListener {
    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RunEvent event) {
      events.add(event);
    }
  }
}
