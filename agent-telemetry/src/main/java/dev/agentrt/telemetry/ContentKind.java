package dev.agentrt.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The kinds of content that only debug output exports. Each is recorded as a span event named
 * {@link #eventName()} carrying the text in {@link #attributeKey()}; events with these names are
 * removed at export from spans not recorded in debug mode, whoever added them.
 *
 * @since 0.1
 */
public enum ContentKind {
  /** The messages sent to a model. */
  PROMPT("gen_ai.content.prompt", "gen_ai.prompt"),
  /** What a model answered. */
  COMPLETION("gen_ai.content.completion", "gen_ai.completion"),
  /** The arguments of a tool call. */
  TOOL_ARGUMENTS("agentrt.tool.arguments", "gen_ai.tool.call.arguments"),
  /** The result of a tool call. */
  TOOL_RESULT("agentrt.tool.result", "gen_ai.tool.call.result");

  private final String eventName;
  private final AttributeKey<String> attributeKey;

  ContentKind(String eventName, String attributeKey) {
    this.eventName = eventName;
    this.attributeKey = AttributeKey.stringKey(attributeKey);
  }

  /** The span event's name. */
  public String eventName() {
    return eventName;
  }

  /** The event attribute holding the text. */
  public AttributeKey<String> attributeKey() {
    return attributeKey;
  }
}
