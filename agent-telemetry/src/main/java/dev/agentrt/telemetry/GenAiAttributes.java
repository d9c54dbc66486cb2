package dev.agentrt.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry GenAI semantic-convention keys agentrt uses. They are defined here because they
 * exist only in the alpha {@code opentelemetry-semconv-incubating} artifact, which does not
 * converge with the rest of our dependencies.
 *
 * @since 0.1
 */
public final class GenAiAttributes {
  /** {@code chat}, {@code execute_tool}, {@code invoke_agent}, ... */
  public static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("gen_ai.operation.name");

  /** The provider: {@code openai}, {@code anthropic}, {@code ollama}, ... */
  public static final AttributeKey<String> PROVIDER_NAME =
      AttributeKey.stringKey("gen_ai.provider.name");

  /** The model asked for. */
  public static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey("gen_ai.request.model");

  /** The model that answered. */
  public static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");

  /** {@code input} or {@code output}, on {@code gen_ai.client.token.usage}. */
  public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

  /** Tokens in the prompt. */
  public static final AttributeKey<Long> USAGE_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");

  /** Tokens in the completion. */
  public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");

  /** The tool called. */
  public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");

  /** The tool call's id. */
  public static final AttributeKey<String> TOOL_CALL_ID =
      AttributeKey.stringKey("gen_ai.tool.call.id");

  /** The agent invoked. */
  public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");

  /** The error type of a failed operation (semantic conventions' {@code error.type}). */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private GenAiAttributes() {}
}
