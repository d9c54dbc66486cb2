package dev.agentrt.telemetry.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.function.BooleanSupplier;

/**
 * Marks each span started while debug output is on with {@link DebugContent#MODE}, so its content
 * events survive export even if the mode changes before the span ends.
 */
public final class DebugMarkingSpanProcessor implements SpanProcessor {
  private final BooleanSupplier debug;

  public DebugMarkingSpanProcessor(BooleanSupplier debug) {
    this.debug = debug;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (debug.getAsBoolean()) span.setAttribute(DebugContent.MODE, DebugContent.DEBUG);
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
