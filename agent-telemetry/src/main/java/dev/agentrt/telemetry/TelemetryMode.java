package dev.agentrt.telemetry;

import java.util.Locale;
import java.util.Optional;

/**
 * What telemetry exports besides metadata.
 *
 * @since 0.1
 */
public enum TelemetryMode {
  /** Metadata only: span names, ids, timings, statuses, token counts; no prompts or payloads. */
  SHIPPING,
  /** Also prompts, completions and tool arguments and results, as size-capped span events. */
  DEBUG;

  /**
   * The name used in {@code config.yml} and {@code AGENTRT_OBS_MODE}: {@code shipping} or {@code
   * debug}.
   */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code name} (case-insensitive, surrounding blanks ignored), if it is one. */
  public static Optional<TelemetryMode> parse(String name) {
    String n = name.strip().toUpperCase(Locale.ROOT);
    for (TelemetryMode m : values()) {
      if (m.name().equals(n)) return Optional.of(m);
    }
    return Optional.empty();
  }
}
