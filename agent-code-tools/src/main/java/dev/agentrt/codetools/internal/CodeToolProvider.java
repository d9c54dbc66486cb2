package dev.agentrt.codetools.internal;

import dev.agentrt.codetools.CodeTools;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolProvider;
import java.util.List;

/** Offers the code tools to ServiceLoader discovery. */
public final class CodeToolProvider implements ToolProvider {
  @Override
  public List<Tool> tools() {
    return CodeTools.all();
  }
}
