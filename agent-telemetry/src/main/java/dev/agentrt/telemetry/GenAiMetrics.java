package dev.agentrt.telemetry;

import dev.agentrt.telemetry.internal.Redactor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The model-call metrics, for whatever calls models (agent-llm): {@code gen_ai.client.token.usage}
 * (histogram, {@code {token}}, by {@code gen_ai.token.type}), {@code
 * gen_ai.client.operation.duration} (histogram, seconds) and {@code agentrt.cost.usd} (counter, US
 * dollars), each with {@code gen_ai.operation.name = chat}, {@code gen_ai.request.model} and, when
 * known, {@code gen_ai.provider.name}.
 *
 * <p>Thread-safe; never throws: negative or non-finite values are not recorded. Attribute values
 * pass through the same redaction as spans, so a model or provider name can never carry a secret
 * into a metric.
 *
 * @since 0.1
 */
public final class GenAiMetrics {
  /** Bucket boundaries the semantic conventions advise for token counts. */
  static final List<Long> TOKEN_BUCKETS =
      List.of(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
          16777216L, 67108864L);

  /** Bucket boundaries the semantic conventions advise for operation durations, in seconds. */
  static final List<Double> DURATION_BUCKETS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  private final LongHistogram tokens;
  private final DoubleHistogram duration;
  private final DoubleCounter cost;
  private final Supplier<Redactor> redactor;

  GenAiMetrics(Meter meter, Supplier<Redactor> redactor) {
    this.redactor = redactor;
    this.tokens =
        meter
            .histogramBuilder("gen_ai.client.token.usage")
            .ofLongs()
            .setUnit("{token}")
            .setDescription("Tokens used per model call, by token type.")
            .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
            .build();
    this.duration =
        meter
            .histogramBuilder("gen_ai.client.operation.duration")
            .setUnit("s")
            .setDescription("Duration of model calls.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.cost =
        meter
            .counterBuilder("agentrt.cost.usd")
            .ofDoubles()
            .setUnit("USD")
            .setDescription("Cost of model calls, from the configured pricing.")
            .build();
  }

  /** Metrics recorded through {@code openTelemetry}'s meter provider, without redaction. */
  public static GenAiMetrics create(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    return new GenAiMetrics(MetricsListener.meter(openTelemetry), Redactor::none);
  }

  /**
   * Records one chat call to {@code model}; see {@link #record(String, String, long, long, double,
   * double)}.
   */
  public void record(
      String model, long inputTokens, long outputTokens, double durationSeconds, double costUsd) {
    record(null, model, inputTokens, outputTokens, durationSeconds, costUsd);
  }

  /**
   * Records one chat call.
   *
   * @param provider the provider ({@code openai}, ...), or {@code null} if unknown
   * @param model the model asked for
   * @param inputTokens tokens in the prompt
   * @param outputTokens tokens in the completion
   * @param durationSeconds how long the call took
   * @param costUsd what it cost; {@code 0} when there is no pricing
   */
  public void record(
      @Nullable String provider,
      String model,
      long inputTokens,
      long outputTokens,
      double durationSeconds,
      double costUsd) {
    AttributesBuilder b =
        Attributes.builder()
            .put(GenAiAttributes.OPERATION_NAME, "chat")
            .put(GenAiAttributes.REQUEST_MODEL, redactor.get().redact(String.valueOf(model)));
    if (provider != null) b.put(GenAiAttributes.PROVIDER_NAME, redactor.get().redact(provider));
    Attributes common = b.build();
    if (inputTokens >= 0) {
      tokens.record(
          inputTokens, common.toBuilder().put(GenAiAttributes.TOKEN_TYPE, "input").build());
    }
    if (outputTokens >= 0) {
      tokens.record(
          outputTokens, common.toBuilder().put(GenAiAttributes.TOKEN_TYPE, "output").build());
    }
    if (durationSeconds >= 0 && Double.isFinite(durationSeconds))
      duration.record(durationSeconds, common);
    if (costUsd > 0 && Double.isFinite(costUsd)) cost.add(costUsd, common);
  }
}
