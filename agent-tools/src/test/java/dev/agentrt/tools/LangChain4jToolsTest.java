package dev.agentrt.tools;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.langchain4j.agent.tool.P;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j {@code @Tool} objects adapted into tools and called by {@code kind: tool} nodes. */
class LangChain4jToolsTest {
  @TempDir Path dir;

  record Address(String street, int number) {}

  /** Two tools: one taking a record, one that always throws. */
  static final class Orders {
    @dev.langchain4j.agent.tool.Tool("Writes a shipping label.")
    String shippingLabel(@P("who receives the parcel") String name, Address address) {
      return name + ", " + address.number() + " " + address.street();
    }

    @dev.langchain4j.agent.tool.Tool("Cancels an order that has not shipped.")
    String cancelOrder(String orderId) {
      throw new IllegalStateException("order " + orderId + " has shipped");
    }
  }

  /** Nothing for a model to call. */
  static final class Plain {
    String hello() {
      return "hello";
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(dir.resolve(".agent/config.yml"), "policy:\n  workspace: " + dir + "\n");
  }

  void workflow(String toolNode) throws IOException {
    Files.writeString(
        dir.resolve(".agent/workflows/order.yml"),
        "id: order\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - "
            + toolNode
            + "\n"
            + "  - {id: done, role: exit, output: \"{{call}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: call}\n"
            + "  - {from: call, to: done}\n");
  }

  AgentRuntime runtime() {
    AgentRuntime.Builder b = AgentRuntime.builder().configDir(dir.resolve(".agent"));
    LangChain4jTools.from(new Orders()).forEach(b::tool);
    return b.build();
  }

  @Test
  void from_beanWithTwoToolMethods_describesEachFromItsToolSpecification() {
    List<Tool> tools = LangChain4jTools.from(new Orders());

    assertThat(tools)
        .extracting(t -> t.descriptor().name())
        .containsExactly("cancel_order", "shipping_label");
    ToolDescriptor label = tools.get(1).descriptor();
    assertThat(label.description()).isEqualTo("Writes a shipping label.");
    assertThat(label.effect()).isEqualTo(Effect.NON_IDEMPOTENT);
    assertThat(label.permissions()).isEmpty();
    assertThat(label.argumentSchema())
        .isEqualTo(
            json(
                """
        {'type': 'object',
         'properties': {
           'name': {'type': 'string', 'description': 'who receives the parcel'},
           'address': {'type': 'object',
                       'properties': {'street': {'type': 'string'},
                                      'number': {'type': 'integer'}},
                       'required': ['street', 'number']}},
         'required': ['name', 'address'],
         'additionalProperties': false}"""));
  }

  @Test
  void from_effectGiven_everyToolDeclaresIt() {
    assertThat(LangChain4jTools.from(Effect.NONE, new Orders()))
        .extracting(t -> t.descriptor().effect())
        .containsOnly(Effect.NONE);
  }

  @Test
  void from_objectWithoutToolMethods_throwsNamingClass() {
    assertThatThrownBy(() -> LangChain4jTools.from(new Plain()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "dev.agentrt.tools.LangChain4jToolsTest$Plain has no method annotated with "
                + "@dev.langchain4j.agent.tool.Tool (annotate the methods a model may call)");
  }

  @Test
  void run_toolNodeWithRecordArgument_completesWithMethodResult() throws IOException {
    workflow(
        "{id: call, kind: tool, tool: shipping_label, "
            + "args: {name: \"{{input.name}}\", address: {street: \"{{input.street}}\", number: 12}}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("order", Map.of("name", "Ada", "street", "Main St"));

      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(TextNode.valueOf("Ada, 12 Main St"));
    }
  }

  @Test
  void run_argumentOfWrongType_failsWithValidatorMessage() throws IOException {
    workflow(
        "{id: call, kind: tool, tool: shipping_label, "
            + "args: {name: Ada, address: {street: Main St, number: \"{{input.number}}\"}}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("order", Map.of("number", "twelve"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.message())
          .isEqualTo(
              "step 'call#0' (node 'call') failed: tool 'shipping_label': invalid arguments: /address/number: string found, integer expected");
    }
  }

  @Test
  void run_toolMethodThrows_failsStepWithExceptionMessage() throws IOException {
    workflow("{id: call, kind: tool, tool: cancel_order, args: {orderId: \"{{input.order}}\"}}");

    try (AgentRuntime rt = runtime()) {
      RunResult r = rt.run("order", Map.of("order", "A-7"));

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r.message())
          .isEqualTo(
              "step 'call#0' (node 'call') failed: tool 'cancel_order': call call#0:0 failed: IllegalStateException: order A-7 has shipped");
    }
  }

  @Test
  void execute_toolMethodThrows_returnsFailureResultToModel() {
    try (ToolBus bus =
        ToolBus.builder().discovery(false).tools(LangChain4jTools.from(new Orders())).build()) {
      ToolInvocation inv = ToolInvocation.of("cancel_order", args("orderId", "A-7"));

      ToolResult r = bus.call(inv);

      assertThat(r).isInstanceOf(ToolResult.Failure.class);
      assertThat(((ToolResult.Failure) r).kind()).isEqualTo(ToolFailureKind.ERROR);
      assertThat(failure(r))
          .isEqualTo(
              "tool 'cancel_order': call "
                  + inv.callId()
                  + " failed: IllegalStateException: order A-7 has shipped");
    }
  }
}
