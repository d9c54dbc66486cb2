package dev.agentrt.spring;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code agentrt.*} properties of the auto-configured {@link dev.agentrt.core.AgentRuntime}
 * (docs/spring-boot.md lists them). Everything else is set in the configuration directory's {@code
 * config.yml}.
 *
 * @param configDir {@code agentrt.config-dir}: the {@code .agent/} directory, relative to the
 *     working directory; default {@code .agent}
 * @param closeTimeout {@code agentrt.close-timeout}: how long closing the context waits for runs in
 *     flight; default 10s
 * @param store {@code agentrt.store.*}: where runs are checkpointed
 * @param telemetry {@code agentrt.telemetry.*}: agentrt's own telemetry
 * @since 0.1
 */
@ConfigurationProperties(prefix = "agentrt")
public record AgentrtProperties(
    @DefaultValue(".agent") Path configDir,
    @DefaultValue("10s") Duration closeTimeout,
    @DefaultValue Store store,
    @DefaultValue Telemetry telemetry) {

  /**
   * Where runs are checkpointed.
   *
   * @param type {@code agentrt.store.type}: {@code config} (default: as {@code checkpoint:} in
   *     config.yml says), {@code sqlite}, {@code memory} or {@code none}
   * @param path {@code agentrt.store.path}: the SQLite file of {@code type=sqlite}, relative to the
   *     working directory; default {@code var/agentrt/runs.db}
   * @param maxRuns {@code agentrt.store.max-runs}: the finished runs {@code type=memory} keeps;
   *     default 10000
   * @since 0.1
   */
  public record Store(
      @DefaultValue("config") StoreType type,
      @DefaultValue("var/agentrt/runs.db") Path path,
      @DefaultValue("10000") int maxRuns) {}

  /**
   * The checkpoint store that {@code agentrt.store.type} selects.
   *
   * @since 0.1
   */
  public enum StoreType {
    /** The store that {@code checkpoint:} in config.yml selects (in memory without one). */
    CONFIG,
    /** The SQLite file {@code agentrt.store.path}; needs {@code dev.agentrt:agent-memory}. */
    SQLITE,
    /** In memory, at most {@code agentrt.store.max-runs} finished runs. */
    MEMORY,
    /** Nowhere: runs cannot wait durably, be resumed, listed or shown. */
    NONE
  }

  /**
   * agentrt's own telemetry (used when {@code dev.agentrt:agent-telemetry} is on the classpath and
   * the application has no {@code OpenTelemetry} bean).
   *
   * @param mode {@code agentrt.telemetry.mode}: {@code shipping} or {@code debug}; when set, it
   *     wins over {@code telemetry.mode} in config.yml and over {@code AGENTRT_OBS_MODE}
   * @since 0.1
   */
  public record Telemetry(@Nullable TelemetryModeSetting mode) {}

  /**
   * What agentrt's telemetry exports besides metadata (agent-telemetry's {@code TelemetryMode}).
   *
   * @since 0.1
   */
  public enum TelemetryModeSetting {
    /** Metadata only. */
    SHIPPING,
    /** Also prompts, completions and tool arguments and results. */
    DEBUG
  }
}
