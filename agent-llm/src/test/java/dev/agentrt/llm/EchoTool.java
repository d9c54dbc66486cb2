package dev.agentrt.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Tool {@code echo} (or another name): answers {@code echo:<text>}; counts its calls. */
final class EchoTool implements Tool {
  private final String name;

  EchoTool() {
    this("echo");
  }

  EchoTool(String name) {
    this.name = name;
  }

  final AtomicInteger calls = new AtomicInteger();
  final java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);

  @Override
  public ToolDescriptor descriptor() {
    JsonNode schema =
        StubOpenAi.JSON
            .createObjectNode()
            .put("type", "object")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "properties",
                StubOpenAi.JSON
                    .createObjectNode()
                    .set("text", StubOpenAi.JSON.createObjectNode().put("type", "string")))
            .set("required", StubOpenAi.JSON.createArrayNode().add("text"));
    return new ToolDescriptor(name, "Echoes its text.", schema, Set.of(), Effect.NONE);
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext context) throws Exception {
    calls.incrementAndGet();
    if (call.argument("text").asText().startsWith("together")) {
      // both calls of one response must be in flight at once, or this times out
      barrier.await(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    return ToolResult.success(TextNode.valueOf("echo:" + call.argument("text").asText()));
  }
}
