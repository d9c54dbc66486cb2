package dev.agentrt.llm.internal;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * OpenTelemetry GenAI semantic-convention attribute keys, defined here because the incubating
 * semconv artifact that holds them conflicts with the stable one (see docs/dependencies.md).
 */
public final class GenAi {
  public static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey("gen_ai.request.model");

  /** The model name of the provider that answered (that of a fallback when one answered). */
  public static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");

  /** agentrt's own: the key in {@code models:} of the model that answered a {@code chat} call. */
  public static final AttributeKey<String> ANSWERED_BY =
      AttributeKey.stringKey("agentrt.model.answered");

  /**
   * agentrt's own: set only when a fallback answered, to the key of the agent's own model, which
   * did not.
   */
  public static final AttributeKey<String> FALLBACK_FROM =
      AttributeKey.stringKey("agentrt.model.fallback_from");

  public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
  public static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");

  /** agentrt's own: the call's cost from the model's pricing (ARCHITECTURE §8). */
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("agentrt.cost.usd");

  public static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");

  /**
   * The content events of a {@code chat} span: the messages sent and the answer, as JSON. Added
   * whenever the span records; agent-telemetry exports them (redacted, capped) in debug mode only
   * and drops them otherwise (same names as its {@code ContentKind}).
   */
  public static final String PROMPT_EVENT = "gen_ai.content.prompt";

  public static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt");
  public static final String COMPLETION_EVENT = "gen_ai.content.completion";
  public static final AttributeKey<String> COMPLETION = AttributeKey.stringKey("gen_ai.completion");

  private GenAi() {}
}
