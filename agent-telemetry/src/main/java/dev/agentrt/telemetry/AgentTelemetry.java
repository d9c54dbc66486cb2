package dev.agentrt.telemetry;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.TelemetrySpec;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.telemetry.internal.DebugContent;
import dev.agentrt.telemetry.internal.DebugMarkingSpanProcessor;
import dev.agentrt.telemetry.internal.ExportFailures;
import dev.agentrt.telemetry.internal.JvmMetrics;
import dev.agentrt.telemetry.internal.RedactingLogRecordExporter;
import dev.agentrt.telemetry.internal.Redactor;
import dev.agentrt.telemetry.internal.SanitizingSpanExporter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK of an agentrt application, with agentrt's modes, redaction and metrics.
 *
 * <pre>{@code
 * try (AgentTelemetry telemetry = AgentTelemetry.create()) {
 *   try (AgentRuntime rt = telemetry.buildRuntime(AgentRuntime.builder().configDir(Path.of(".agent")))) {
 *     rt.run("triage", Map.of("text", "Disk full on db-1"));
 *   }
 * } // flushes and shuts the SDK down
 * }</pre>
 *
 * <p><b>Exporters</b> come from the standard OpenTelemetry configuration (SDK autoconfigure):
 * {@code OTEL_*} environment variables or {@code otel.*} system properties, e.g. {@code
 * OTEL_TRACES_EXPORTER=otlp}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 * OTEL_EXPORTER_OTLP_PROTOCOL=grpc|http/protobuf} (default {@code http/protobuf}), or {@code
 * logging}. Unlike plain autoconfigure, a signal whose exporter is not set exports nothing; and
 * when there is no OpenTelemetry configuration at all, no SDK is built and {@link #openTelemetry()}
 * is the no-op instance, so telemetry costs nothing.
 *
 * <p><b>Redaction</b>: every exporter is wrapped so that known secret values ({@link
 * Manifests#redactor()}) and the regular expressions of {@code telemetry.redact} are replaced by
 * {@code [REDACTED]} in span names, attributes, event names and attributes, link attributes, status
 * descriptions, and log record bodies and attributes, in every mode, before any exporter sees them.
 * Metric attributes have fixed keys and values are redacted when recorded.
 *
 * <p><b>Modes</b>: {@link TelemetryMode#SHIPPING} exports metadata only; in {@link
 * TelemetryMode#DEBUG}, prompts, completions and tool payloads recorded with {@link #recordContent}
 * are exported as size-capped span events. The mode comes from {@code telemetry.mode} in {@code
 * config.yml}, overridden by the environment variable {@code AGENTRT_OBS_MODE}, and can be changed
 * at run time with {@link #setMode}; a debug window of limited length ({@link #openDebugWindow})
 * turns debug output on temporarily, and opens by itself for a while after a run is resumed.
 *
 * <p>Thread-safe. Methods used while runs execute never throw.
 *
 * @since 0.1
 */
public final class AgentTelemetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentTelemetry.class);

  /** The environment variable that overrides {@code telemetry.mode}. */
  public static final String MODE_VARIABLE = "AGENTRT_OBS_MODE";

  /**
   * The environment variable that sets how long {@link #close()} waits for exports to finish
   * ({@code 500ms}, {@code 5s}, {@code PT5S}); overrides {@link Builder#shutdownTimeout}.
   */
  public static final String SHUTDOWN_TIMEOUT_VARIABLE = "AGENTRT_OBS_SHUTDOWN_TIMEOUT";

  /**
   * How long {@link #close()} waits for exports to finish unless configured: short, so that an
   * unreachable collector delays a process's exit by at most this much.
   */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final @Nullable OpenTelemetrySdk sdk;
  private final OpenTelemetry openTelemetry;
  private final Clock clock;
  private final int contentLimit;
  private final Duration resumeDebugWindow;
  private final Duration shutdownTimeout;
  private final ExportFailures exportFailures = new ExportFailures();
  private final @Nullable TelemetryMode environmentMode;
  private final Set<String> baseSecrets;
  private final List<String> basePatterns;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final @Nullable AutoCloseable jvmMetrics;
  private final MetricsListener metricsListener;
  private final GenAiMetrics genAiMetrics;
  private final RunListener runListener;

  private volatile Redactor redactor;
  private volatile TelemetryMode configuredMode;
  private volatile @Nullable TelemetryMode overrideMode;
  private volatile Instant debugUntil = Instant.MIN;

  private AgentTelemetry(Builder b) {
    this.clock = b.clock;
    this.contentLimit = b.contentLimit;
    this.resumeDebugWindow = b.resumeDebugWindow;
    this.baseSecrets = Set.copyOf(b.secrets);
    this.basePatterns = List.copyOf(b.patterns);
    this.redactor = Redactor.of(baseSecrets, basePatterns);
    this.configuredMode = b.mode;
    String env = b.environment.apply(MODE_VARIABLE);
    this.environmentMode =
        env == null || env.isBlank()
            ? null
            : TelemetryMode.parse(env)
                .orElseThrow(
                    () ->
                        new AgentrtException(
                            MODE_VARIABLE
                                + ": '"
                                + env
                                + "' is not a telemetry mode (use 'shipping' or 'debug')"));
    String timeout = b.environment.apply(SHUTDOWN_TIMEOUT_VARIABLE);
    this.shutdownTimeout =
        timeout == null || timeout.isBlank() ? b.shutdownTimeout : parseTimeout(timeout);

    if (b.otelConfigured()) {
      this.sdk = buildSdk(b);
      this.openTelemetry = sdk;
      this.jvmMetrics =
          b.jvmMetrics ? JvmMetrics.register(sdk.getMeterProvider().get("dev.agentrt.jvm")) : null;
    } else {
      this.sdk = null;
      this.openTelemetry = OpenTelemetry.noop();
      this.jvmMetrics = null;
    }
    this.genAiMetrics = new GenAiMetrics(MetricsListener.meter(openTelemetry), this::redactor);
    this.metricsListener =
        new MetricsListener(MetricsListener.meter(openTelemetry), this::redactor, genAiMetrics);
    this.runListener = RunListener.composite(List.of(metricsListener, new ResumeWindowListener()));
  }

  private OpenTelemetrySdk buildSdk(Builder b) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("otel.service.name", "agentrt");
    defaults.put("otel.traces.exporter", "none");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // the OTLP specification's default; gRPC stays one variable away
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.putAll(b.properties);
    AutoConfiguredOpenTelemetrySdkBuilder auto =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .disableShutdownHook()
            .addSpanExporterCustomizer((exporter, config) -> sanitize(exporter))
            .addLogRecordExporterCustomizer((exporter, config) -> redacting(exporter))
            .addTracerProviderCustomizer(
                (tracer, config) -> {
                  // first, so that later processors (and the exporters behind them) see the mark
                  tracer.addSpanProcessor(new DebugMarkingSpanProcessor(this::debugEnabled));
                  for (SpanExporter e : b.spanExporters)
                    tracer.addSpanProcessor(batch(sanitize(e)));
                  return tracer;
                })
            .addLoggerProviderCustomizer(
                (logger, config) -> {
                  for (LogRecordExporter e : b.logExporters)
                    logger.addLogRecordProcessor(batch(redacting(e)));
                  return logger;
                })
            .addMeterProviderCustomizer(
                (meter, config) -> {
                  for (MetricReader r : b.metricReaders) meter.registerMetricReader(r);
                  return meter;
                });
    return auto.build().getOpenTelemetrySdk();
  }

  private SpanExporter sanitize(SpanExporter exporter) {
    return new SanitizingSpanExporter(exportFailures.watch(exporter), this::redactor, contentLimit);
  }

  private LogRecordExporter redacting(LogRecordExporter exporter) {
    return new RedactingLogRecordExporter(exportFailures.watch(exporter), this::redactor);
  }

  private static Duration parseTimeout(String text) {
    try {
      Duration d = Durations.parse(text);
      if (!d.isNegative()) return d;
    } catch (IllegalArgumentException e) {
      // reported below, naming the variable
    }
    throw new AgentrtException(
        SHUTDOWN_TIMEOUT_VARIABLE
            + ": '"
            + text
            + "' is not a duration ("
            + Durations.SYNTAX
            + ")");
  }

  private Redactor redactor() {
    return redactor;
  }

  private static SpanProcessor batch(SpanExporter exporter) {
    return BatchSpanProcessor.builder(exporter).build();
  }

  private static LogRecordProcessor batch(LogRecordExporter exporter) {
    return BatchLogRecordProcessor.builder(exporter).build();
  }

  /**
   * Telemetry from the {@code OTEL_*} environment variables and {@code otel.*} system properties;
   * call {@link #configure(Manifests)} (or use {@link #buildRuntime}) to apply {@code config.yml}.
   *
   * @throws AgentrtException if {@code AGENTRT_OBS_MODE} is not {@code shipping} or {@code debug}
   * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException if the OpenTelemetry
   *     configuration is invalid (an unknown exporter, a bad endpoint)
   */
  public static AgentTelemetry create() {
    return builder().build();
  }

  /** A builder for programmatic settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@code runtime} with this telemetry's {@link OpenTelemetry} and {@link #runListener()},
   * then applies its {@code config.yml} with {@link #configure(Manifests)}; the runtime's
   * configuration thus takes effect before its first run.
   *
   * @throws dev.agentrt.core.manifest.ManifestException as {@link AgentRuntime.Builder#build()}
   *     does
   */
  public AgentRuntime buildRuntime(AgentRuntime.Builder runtime) {
    AgentRuntime rt = runtime.openTelemetry(openTelemetry).listener(runListener).build();
    configure(rt.manifests());
    return rt;
  }

  /**
   * Applies the {@code telemetry:} section of {@code config.yml} and the loaded configuration's
   * secrets: redaction from now on covers the builder's secrets and patterns plus {@link
   * Manifests#redactor()} and {@code telemetry.redact}, and the configured mode becomes {@code
   * telemetry.mode} (still overridden by {@code AGENTRT_OBS_MODE} and {@link #setMode}). Call it
   * before the runtime's first run.
   *
   * @throws AgentrtException naming the entry if a {@code telemetry.redact} entry is not a regular
   *     expression
   */
  public void configure(Manifests manifests) {
    Objects.requireNonNull(manifests, "manifests");
    TelemetrySpec spec = manifests.config().telemetry();
    dev.agentrt.core.manifest.Redactor secrets =
        dev.agentrt.core.manifest.Redactor.of(baseSecrets).and(manifests.redactor());
    List<String> patterns = new ArrayList<>(basePatterns);
    if (spec != null && spec.redact() != null) patterns.addAll(spec.redact());
    try {
      this.redactor = Redactor.of(secrets, patterns);
    } catch (IllegalArgumentException e) {
      throw new AgentrtException("config.yml: " + e.getMessage(), e);
    }
    if (spec != null && spec.mode() != null) {
      TelemetryMode.parse(spec.mode()).ifPresent(m -> this.configuredMode = m);
    }
  }

  /**
   * The OpenTelemetry instance to give to {@link AgentRuntime.Builder#openTelemetry}: the SDK, or
   * the no-op instance when nothing is configured.
   */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** Whether an SDK was built, i.e. some OpenTelemetry configuration was found. */
  public boolean sdkEnabled() {
    return sdk != null;
  }

  /**
   * The listener that feeds {@link MetricsListener}'s metrics and opens the debug window after a
   * run resumes; register it with {@link AgentRuntime.Builder#listener}.
   */
  public RunListener runListener() {
    return runListener;
  }

  /** The model-call metrics, for model clients. */
  public GenAiMetrics genAiMetrics() {
    return genAiMetrics;
  }

  /** The mode in force, not counting a debug window. */
  public TelemetryMode mode() {
    TelemetryMode o = overrideMode;
    if (o != null) return o;
    return environmentMode != null ? environmentMode : configuredMode;
  }

  /**
   * Changes the mode now, overriding configuration and {@code AGENTRT_OBS_MODE}; spans already
   * started keep theirs.
   */
  public void setMode(TelemetryMode mode) {
    this.overrideMode = Objects.requireNonNull(mode, "mode");
    log.info("telemetry mode set to {}", mode.configName());
  }

  /**
   * Turns debug output on for {@code length} from now, whatever the mode; a window that would end
   * later is kept.
   */
  public void openDebugWindow(Duration length) {
    Objects.requireNonNull(length, "length");
    Instant until = clock.instant().plus(length);
    synchronized (this) {
      if (until.isAfter(debugUntil)) debugUntil = until;
    }
    log.info("telemetry debug output on until {}", until);
  }

  /** When the debug window ends, if one is open. */
  public java.util.Optional<Instant> debugWindowEnd() {
    Instant until = debugUntil;
    return clock.instant().isBefore(until)
        ? java.util.Optional.of(until)
        : java.util.Optional.empty();
  }

  /** Whether content is recorded and exported now: the mode is debug, or a debug window is open. */
  public boolean debugEnabled() {
    return mode() == TelemetryMode.DEBUG || clock.instant().isBefore(debugUntil);
  }

  /**
   * Adds {@code text} to {@code span} as a content event of {@code kind}, if debug output is on
   * now; otherwise does nothing. The text is redacted and capped in size on export. Never throws.
   */
  public void recordContent(Span span, ContentKind kind, String text) {
    if (!debugEnabled() || !span.isRecording()) return;
    try {
      span.setAttribute(DebugContent.MODE, DebugContent.DEBUG);
      span.addEvent(
          kind.eventName(),
          Attributes.of(kind.attributeKey(), DebugContent.cap(String.valueOf(text), contentLimit)));
    } catch (RuntimeException e) {
      log.warn("could not record {} content on a span", kind, e);
    }
  }

  /** {@code text} with every known secret and configured pattern replaced by {@code [REDACTED]}. */
  public String redact(String text) {
    return redactor.redact(text);
  }

  /**
   * Exports everything recorded so far; waits at most {@code timeout}. Returns whether it finished
   * in time.
   */
  public boolean flush(Duration timeout) {
    if (sdk == null) return true;
    CompletableResultCode r =
        CompletableResultCode.ofAll(
            List.of(
                sdk.getSdkTracerProvider().forceFlush(),
                sdk.getSdkMeterProvider().forceFlush(),
                sdk.getSdkLoggerProvider().forceFlush()));
    return r.join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
  }

  /**
   * Flushes and shuts the SDK down, waiting at most {@code timeout}; later calls do nothing.
   * Returns whether it finished in time.
   */
  public boolean shutdown(Duration timeout) {
    if (!closed.compareAndSet(false, true) || sdk == null) return true;
    if (jvmMetrics != null) {
      try {
        jvmMetrics.close();
      } catch (Exception e) {
        log.debug("closing the JVM metrics failed", e);
      }
    }
    boolean ok = sdk.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    int failed = exportFailures.count();
    if (!ok || failed > 0) log.warn(exportProblem(ok, failed, timeout));
    return ok;
  }

  /** What went wrong with exporting, on one line, redacted (the cause may name an endpoint). */
  private String exportProblem(boolean finished, int failed, Duration timeout) {
    String cause = exportFailures.firstCause();
    StringBuilder sb = new StringBuilder("telemetry: ");
    if (failed > 0) {
      sb.append(failed).append(failed == 1 ? " export" : " exports").append(" failed");
      if (cause != null) sb.append(" (").append(cause).append(')');
      if (!finished) sb.append(", and");
    }
    if (!finished) {
      sb.append(failed > 0 ? " " : "")
          .append("exporting did not finish within ")
          .append(describe(timeout));
    }
    sb.append(
            "; what was not sent is dropped (check that the OTLP endpoint in OTEL_EXPORTER_OTLP_ENDPOINT is"
                + " reachable; ")
        .append(SHUTDOWN_TIMEOUT_VARIABLE)
        .append(" sets how long to wait)");
    return redactor.redact(sb.toString());
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /** How long {@link #close()} waits for exports to finish. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * {@link #shutdown(Duration)} with {@link #shutdownTimeout()} ({@link #DEFAULT_SHUTDOWN_TIMEOUT}
   * unless {@link Builder#shutdownTimeout} or {@code AGENTRT_OBS_SHUTDOWN_TIMEOUT} says otherwise).
   * An export that failed or did not finish is reported in one warning line.
   */
  @Override
  public void close() {
    shutdown(shutdownTimeout);
  }

  @Override
  public String toString() {
    return "AgentTelemetry{sdk=" + (sdk != null) + ", mode=" + mode().configName() + "}";
  }

  /**
   * Opens the debug window when a run resumes, except runs this process saw suspend (waiting for
   * input).
   */
  private final class ResumeWindowListener implements RunListener {
    private final Set<String> suspendedHere = ConcurrentHashMap.newKeySet();

    @Override
    public void runSuspended(RunEvent.RunSuspended event) {
      suspendedHere.add(event.runId());
    }

    @Override
    public void runStarted(RunEvent.RunStarted event) {
      boolean waited = suspendedHere.remove(event.runId());
      if (event.resumed() && !waited && !resumeDebugWindow.isZero()) {
        log.info(
            "run {} resumed: telemetry debug output on for {}", event.runId(), resumeDebugWindow);
        openDebugWindow(resumeDebugWindow);
      }
    }
  }

  /**
   * Programmatic settings. Everything here is optional; {@code config.yml} and the environment are
   * applied on top (see {@link AgentTelemetry}). Not thread-safe.
   */
  public static final class Builder {
    private TelemetryMode mode = TelemetryMode.SHIPPING;
    private final Set<String> secrets = new LinkedHashSet<>();
    private final List<String> patterns = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<SpanExporter> spanExporters = new ArrayList<>();
    private final List<LogRecordExporter> logExporters = new ArrayList<>();
    private final List<MetricReader> metricReaders = new ArrayList<>();
    private Function<String, @Nullable String> environment = System::getenv;
    private Clock clock = Clock.systemUTC();
    private int contentLimit = 8192;
    private Duration resumeDebugWindow = Duration.ofMinutes(5);
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private boolean jvmMetrics = true;

    private Builder() {}

    /**
     * The mode unless configuration or {@code AGENTRT_OBS_MODE} says otherwise; default shipping.
     */
    public Builder mode(TelemetryMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Values to redact in addition to the configuration's secrets (values under 4 characters are
     * ignored).
     */
    public Builder secrets(Collection<String> secrets) {
      for (String s : secrets) this.secrets.add(Objects.requireNonNull(s, "secret"));
      return this;
    }

    /** Regular expressions to redact in addition to {@code telemetry.redact}. */
    public Builder redact(String regex) {
      this.patterns.add(Objects.requireNonNull(regex, "regex"));
      return this;
    }

    /**
     * An OpenTelemetry autoconfigure property ({@code otel.traces.exporter}, {@code
     * otel.exporter.otlp.endpoint}, ...), with lower precedence than the same setting in the
     * environment or system properties.
     */
    public Builder property(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * An exporter to send spans to, in addition to configured ones, behind redaction and a batch
     * processor.
     */
    public Builder addSpanExporter(SpanExporter exporter) {
      spanExporters.add(Objects.requireNonNull(exporter, "exporter"));
      return this;
    }

    /** An exporter to send log records to, behind redaction and a batch processor. */
    public Builder addLogRecordExporter(LogRecordExporter exporter) {
      logExporters.add(Objects.requireNonNull(exporter, "exporter"));
      return this;
    }

    /**
     * A metric reader in addition to configured ones (metric attributes are redacted when
     * recorded).
     */
    public Builder addMetricReader(MetricReader reader) {
      metricReaders.add(Objects.requireNonNull(reader, "reader"));
      return this;
    }

    /** Where {@code AGENTRT_OBS_MODE} is read; default {@link System#getenv(String)}. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The clock debug windows are measured with; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The most characters of one content text exported in debug mode; default 8192. */
    public Builder contentLimit(int chars) {
      if (chars < 1)
        throw new IllegalArgumentException(
            "contentLimit: " + chars + " is not positive (use 1 or more characters)");
      this.contentLimit = chars;
      return this;
    }

    /**
     * How long debug output stays on after a run resumes; default 5 minutes, {@link Duration#ZERO}
     * for never.
     */
    public Builder resumeDebugWindow(Duration length) {
      Objects.requireNonNull(length, "length");
      if (length.isNegative())
        throw new IllegalArgumentException(
            "resumeDebugWindow: " + length + " is negative (use PT0S to turn it off)");
      this.resumeDebugWindow = length;
      return this;
    }

    /**
     * How long {@link AgentTelemetry#close()} waits for exports to finish; default {@link
     * AgentTelemetry#DEFAULT_SHUTDOWN_TIMEOUT}, overridden by {@code AGENTRT_OBS_SHUTDOWN_TIMEOUT}.
     */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative())
        throw new IllegalArgumentException(
            "shutdownTimeout: " + timeout + " is negative (use PT0S not to wait)");
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * Whether to register JVM runtime metrics ({@code jvm.*}) when an SDK is built; default true.
     */
    public Builder jvmMetrics(boolean jvmMetrics) {
      this.jvmMetrics = jvmMetrics;
      return this;
    }

    /** Builds the telemetry; see {@link AgentTelemetry#create()} for what it throws. */
    public AgentTelemetry build() {
      return new AgentTelemetry(this);
    }

    boolean otelConfigured() {
      if (!properties.isEmpty()
          || !spanExporters.isEmpty()
          || !logExporters.isEmpty()
          || !metricReaders.isEmpty()) {
        return true;
      }
      for (String k : System.getenv().keySet()) {
        if (k.startsWith("OTEL_")) return true;
      }
      for (String k : System.getProperties().stringPropertyNames()) {
        if (k.startsWith("otel.")) return true;
      }
      return false;
    }
  }
}
