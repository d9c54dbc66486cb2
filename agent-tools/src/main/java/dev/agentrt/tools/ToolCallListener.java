package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.spi.ToolResult;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Receives every call the {@link ToolBus} handles, denied and failed calls included. Called on the
 * caller's thread after the call, synchronously: keep it fast. Called concurrently. Anything it
 * throws is logged and ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ToolCallListener {

  /** Called once per call. */
  void onToolCall(Event event);

  /**
   * One completed call.
   *
   * @param tool the tool's name as requested
   * @param agent the calling agent, if any
   * @param runId the run
   * @param stepKey the step
   * @param index the call's index within the step
   * @param arguments the arguments as requested
   * @param result the result returned to the caller
   * @param startedAt when the bus received the call
   * @param duration how long the bus took, checks included
   * @param replayed whether the result came from the journal rather than from running the tool
   * @since 0.1
   */
  record Event(
      String tool,
      @Nullable String agent,
      String runId,
      String stepKey,
      int index,
      JsonNode arguments,
      ToolResult result,
      Instant startedAt,
      Duration duration,
      boolean replayed) {}
}
