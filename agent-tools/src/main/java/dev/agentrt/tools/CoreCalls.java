package dev.agentrt.tools;

import dev.agentrt.core.spi.ToolBus.Call;
import dev.agentrt.core.spi.ToolBus.Decision;
import org.jspecify.annotations.Nullable;

/**
 * Translates the runtime's {@link dev.agentrt.core.spi.ToolBus} requests to this module's types.
 */
final class CoreCalls {
  private CoreCalls() {}

  static ToolInvocation invocation(Call c) {
    return new ToolInvocation(
        c.tool(),
        c.arguments(),
        c.agent(),
        c.allowed(),
        c.runId(),
        c.stepKey(),
        c.index(),
        c.journal(),
        c.cancelled());
  }

  static @Nullable OnIndeterminate decision(@Nullable Decision d) {
    return d == null ? null : OnIndeterminate.valueOf(d.name());
  }

  /** The runtime's decision of the same name; the two enums have the same constants. */
  static Decision decision(OnIndeterminate d) {
    return Decision.valueOf(d.name());
  }
}
