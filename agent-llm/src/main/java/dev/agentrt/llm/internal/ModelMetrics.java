package dev.agentrt.llm.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * Counters of model calls that failed, were refused by a model's circuit breaker or rate limiter,
 * or went to a fallback model (docs/telemetry.md). Thread-safe; never throws.
 */
public final class ModelMetrics {
  /** The model's key in {@code models:}. */
  public static final AttributeKey<String> MODEL = AttributeKey.stringKey("agentrt.model");

  /** What went wrong (as in the semantic conventions). */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** Why a model was not called: {@code circuit_open} or {@code rate_limit}. */
  public static final AttributeKey<String> REFUSAL =
      AttributeKey.stringKey("agentrt.model.refusal");

  /** The model tried instead. */
  public static final AttributeKey<String> FALLBACK =
      AttributeKey.stringKey("agentrt.model.fallback");

  /**
   * Why the call went to the next model: {@code error}, {@code circuit_open} or {@code rate_limit}.
   */
  public static final AttributeKey<String> REASON =
      AttributeKey.stringKey("agentrt.fallback.reason");

  private final LongCounter errors;
  private final LongCounter refused;
  private final LongCounter fallbacks;

  /** The counters of {@code otel}'s meter {@code dev.agentrt.llm}. */
  public ModelMetrics(OpenTelemetry otel) {
    Meter meter = otel.getMeter("dev.agentrt.llm");
    this.errors =
        meter
            .counterBuilder("agentrt.model.errors")
            .setUnit("{error}")
            .setDescription("Failed model call attempts, by model and error type.")
            .build();
    this.refused =
        meter
            .counterBuilder("agentrt.model.refused")
            .setUnit("{call}")
            .setDescription(
                "Model calls not made because the model's circuit breaker was open or its rate"
                    + " limit was reached.")
            .build();
    this.fallbacks =
        meter
            .counterBuilder("agentrt.model.fallbacks")
            .setUnit("{fallback}")
            .setDescription("Model calls passed on to a fallback model, by model and fallback.")
            .build();
  }

  /** One failed attempt of a call to {@code model}. */
  void error(String model, String type) {
    errors.add(1, Attributes.of(MODEL, model, ERROR_TYPE, type));
  }

  /** A call to {@code model} not made, for {@code reason}. */
  void refused(String model, String reason) {
    refused.add(1, Attributes.of(MODEL, model, REFUSAL, reason));
  }

  /** A call passed on from {@code model} to {@code fallback}, for {@code reason}. */
  void fallback(String model, String fallback, String reason) {
    fallbacks.add(1, Attributes.of(MODEL, model, FALLBACK, fallback, REASON, reason));
  }
}
