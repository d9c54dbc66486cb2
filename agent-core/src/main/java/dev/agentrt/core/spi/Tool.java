package dev.agentrt.core.spi;

/**
 * A tool: something an agent or a {@code kind: tool} node can call ({@code fs.read}, {@code http}).
 * Register instances on the ToolBus builder or provide them through a {@link ToolProvider}.
 *
 * <p>The ToolBus does everything around the call: it looks the tool up, checks the caller's allowed
 * list and the policy, validates the arguments against {@link ToolDescriptor#argumentSchema()},
 * enforces a timeout and an output size cap, records the call and turns exceptions into {@link
 * ToolResult.Failure} values. A tool only does its work.
 *
 * <p><b>Threading:</b> one instance serves every call and is called concurrently; it must be
 * stateless or thread-safe. It runs on a ToolBus thread that is interrupted on timeout or
 * cancellation, and should stop promptly then (see {@link ToolContext#isCancelled()}).
 *
 * <p><b>Errors:</b> return {@link ToolResult#failure(String)} for anything the caller can act on,
 * with a message that says what was wrong and how to fix it. An exception thrown is turned into a
 * failure naming the tool and the call id.
 *
 * @since 0.1
 */
public interface Tool {

  /** The tool's name, description, argument schema, permissions and effect; must not change. */
  ToolDescriptor descriptor();

  /**
   * Runs one call.
   *
   * @param call the validated arguments and the idempotency key
   * @param context the workspace, policy settings, deadline and cancellation
   * @return the result, never null
   */
  ToolResult execute(ToolCall call, ToolContext context) throws Exception;
}
