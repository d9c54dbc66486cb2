package dev.agentrt.tools;

import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.tools.internal.ArgumentValidator;

/** A tool as the bus holds it: its descriptor, compiled argument schema and parsed settings. */
record RegisteredTool(
    Tool tool, ToolDescriptor descriptor, ArgumentValidator validator, ToolSettings settings) {

  String name() {
    return descriptor.name();
  }
}
