package dev.agentrt.tools.internal;

import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.tools.BuiltinTools;
import java.util.List;

/** Offers the built-in tools to ServiceLoader discovery. */
public final class BuiltinToolProvider implements ToolProvider {
  @Override
  public List<Tool> tools() {
    return BuiltinTools.all();
  }
}
