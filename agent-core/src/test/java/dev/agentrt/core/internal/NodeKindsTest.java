package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind, built in or not, is an executor in the one kind table. */
class NodeKindsTest {
  private static final NodeFunction HELLO = (in, ctx) -> TextNode.valueOf("hello");

  private static NodeExecutor executor(String kind) {
    return new NodeExecutor() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public NodeOutcome execute(NodeInput input, NodeContext context) {
        return new NodeOutcome.Completed(TextNode.valueOf(kind));
      }
    };
  }

  @Test
  void table_builtInsAndRuntimeExecutors_holdsEveryKindAsAnExecutorOfThatKind() {
    NodeExecutor echo = executor("echo");

    Map<String, NodeExecutor> table = NodeKinds.table(Map.of("hello", HELLO), Map.of("echo", echo));

    assertThat(table).containsOnlyKeys("function", "transform", "workflow", "echo");
    table.forEach((kind, ex) -> assertThat(ex.kind()).isEqualTo(kind));
    assertThat(table.get("function")).isInstanceOf(FunctionNodeExecutor.class);
    assertThat(table.get("transform")).isInstanceOf(TransformNodeExecutor.class);
    assertThat(table.get("workflow")).isInstanceOf(WorkflowNodeExecutor.class);
    assertThat(table.get("echo")).isSameAs(echo);
    assertThat(NodeKinds.BUILT_IN).isEqualTo(ManifestReader.BUILT_IN_KINDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"function", "transform", "workflow"})
  void table_executorForBuiltInKind_isRefusedNamingTheKind(String kind) {
    assertThatThrownBy(() -> NodeKinds.table(Map.of(), Map.of(kind, executor(kind))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind '" + kind + "' is built in and cannot be replaced");
  }

  @ParameterizedTest
  @ValueSource(strings = {"function", "transform", "workflow"})
  void builderNodeExecutor_builtInKind_isRefusedNamingTheKind(String kind) {
    assertThatThrownBy(() -> AgentRuntime.builder().nodeExecutor(executor(kind)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind '" + kind + "' is built in and cannot be replaced");
  }

  @Test
  void builtInExecutor_calledOutsideTheEngine_failsNamingItsKind() {
    NodeExecutor transform = NodeKinds.table(Map.of(), Map.of()).get("transform");
    NodeContext foreign =
        (NodeContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {NodeContext.class},
                (proxy, method, args) -> null);

    assertThatThrownBy(() -> transform.execute(null, foreign))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("kind 'transform' is built into the engine and runs only inside it");
  }
}
