package com.example;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.util.Set;

/** A tool the agent can call: counts the words of a text. */
public final class WordCount implements Tool {
  record Args(@JsonPropertyDescription("the text to count the words of") String text) {}

  private static final ToolDescriptor DESCRIPTOR =
      new ToolDescriptor(
          "text.words",
          "Counts the words of a text.",
          ToolSchemas.of(Args.class),
          Set.of(),
          Effect.NONE);

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext context) {
    String text = call.argumentsAs(Args.class).text().strip();
    return ToolResult.success(IntNode.valueOf(text.isEmpty() ? 0 : text.split("\\s+").length));
  }
}
