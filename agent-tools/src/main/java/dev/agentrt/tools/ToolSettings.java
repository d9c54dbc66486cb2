package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.PolicySpec;
import dev.agentrt.tools.ToolBus.SettingProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one tool that the bus itself applies ({@code policy.tools.<name>}), parsed once
 * when the bus is built; and the checks of a whole {@code policy:} section ({@link #check}).
 *
 * <p>Every setting is checked when parsed: {@code enabled} and {@code allow_hard_links} are
 * booleans, {@code timeout} and the built-in tools' other durations use {@link Durations} syntax
 * and are positive, {@code max_output_bytes} and the built-in tools' size limits are positive whole
 * numbers ({@code http}'s {@code max_redirects} may be 0), {@code on_indeterminate} is one of
 * {@link OnIndeterminate}. A bad value is a {@link SettingProblem} naming its key, and the default
 * stands in for it in the parsed record.
 *
 * @param timeout how long a call may take (positive)
 * @param maxOutputBytes cap on a result's size as JSON, in bytes (positive)
 * @param onIndeterminate what to do with an unfinished non-idempotent call when the caller does not
 *     say
 */
record ToolSettings(Duration timeout, int maxOutputBytes, OnIndeterminate onIndeterminate) {
  /** Duration settings of the built-in tools, besides {@code timeout}. */
  private static final Map<String, List<String>> BUILTIN_DURATIONS =
      Map.of("http", List.of("connect_timeout", "read_timeout"));

  /** Positive whole-number settings of the built-in tools, besides {@code max_output_bytes}. */
  private static final Map<String, List<String>> BUILTIN_SIZES =
      Map.of(
          "http", List.of("max_response_bytes"),
          "fs.read", List.of("max_bytes"),
          "fs.write", List.of("max_bytes"),
          "fs.list", List.of("max_entries"),
          "grep", List.of("max_matches"));

  ToolSettings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onIndeterminate, "onIndeterminate");
    if (timeout.isNegative() || timeout.isZero())
      throw new IllegalArgumentException("timeout must be positive");
    if (maxOutputBytes < 1) throw new IllegalArgumentException("maxOutputBytes must be positive");
  }

  /**
   * The settings {@code settings} ({@code policy.tools.<tool>}) describe, with {@code defaults} for
   * those not given; each malformed value is added to {@code problems} and replaced by its default.
   */
  static ToolSettings parse(
      String tool, JsonNode settings, ToolSettings defaults, List<SettingProblem> problems) {
    // in this order, so that problems are reported in a stable order
    checkFlags(tool, settings, problems);
    Duration timeout = duration(tool, settings, "timeout", problems);
    for (String key : BUILTIN_DURATIONS.getOrDefault(tool, List.of()))
      duration(tool, settings, key, problems);
    Integer max = size(tool, settings, "max_output_bytes", 1, problems);
    for (String key : BUILTIN_SIZES.getOrDefault(tool, List.of()))
      size(tool, settings, key, 1, problems);
    if ("http".equals(tool)) size(tool, settings, "max_redirects", 0, problems);
    OnIndeterminate decision = decision(tool, settings, problems);
    return new ToolSettings(
        timeout != null ? timeout : defaults.timeout(),
        max != null ? max : defaults.maxOutputBytes(),
        decision != null ? decision : defaults.onIndeterminate());
  }

  /**
   * Checks a {@code policy:} section as a runtime would use it; see {@link ToolBus#check}.
   *
   * @return every problem found, empty if none
   */
  static List<SettingProblem> check(@Nullable PolicySpec spec, Path baseDir) {
    List<SettingProblem> problems = new ArrayList<>();
    if (spec == null) return problems;
    if (spec.workspace() != null) {
      Path ws = baseDir.resolve(spec.workspace()).toAbsolutePath().normalize();
      if (!Files.isDirectory(ws)) {
        problems.add(
            new SettingProblem(
                List.of("policy", "workspace"),
                "directory '"
                    + ws
                    + "' does not exist (create it, or point policy.workspace at a directory)"));
      }
    }
    if (spec.tools() != null) {
      ToolSettings any =
          new ToolSettings(
              ToolBus.DEFAULT_TIMEOUT, ToolBus.DEFAULT_MAX_OUTPUT_BYTES, OnIndeterminate.WAIT);
      for (Map.Entry<String, JsonNode> e : spec.tools().entrySet()) {
        JsonNode settings = e.getValue();
        if (settings == null || !settings.isObject()) {
          problems.add(
              new SettingProblem(
                  List.of("policy", "tools", e.getKey()),
                  "must be a mapping of settings, such as {timeout: 30s}"));
        } else {
          parse(e.getKey(), settings, any, problems);
        }
      }
    }
    return problems;
  }

  private static void checkFlags(String tool, JsonNode settings, List<SettingProblem> problems) {
    for (String key : List.of("enabled", "allow_hard_links")) {
      JsonNode flag = settings.get(key);
      if (flag != null && !flag.isBoolean()) {
        problems.add(problem(tool, key, "'" + flag.asText() + "' is not true or false"));
      }
    }
  }

  /**
   * The positive duration at {@code key}, or null if absent or malformed (then a problem is added).
   */
  private static @Nullable Duration duration(
      String tool, JsonNode settings, String key, List<SettingProblem> problems) {
    JsonNode v = settings.get(key);
    if (v == null) return null;
    try {
      if (!v.isTextual())
        throw new IllegalArgumentException(
            "'" + v + "' is not a duration (" + Durations.SYNTAX + ")");
      return Durations.parsePositive(v.asText());
    } catch (IllegalArgumentException e) {
      problems.add(problem(tool, key, e.getMessage()));
      return null;
    }
  }

  /**
   * The whole number of at least {@code min} at {@code key}, or null if absent or malformed (then a
   * problem is added).
   */
  private static @Nullable Integer size(
      String tool, JsonNode settings, String key, int min, List<SettingProblem> problems) {
    JsonNode v = settings.get(key);
    if (v == null) return null;
    if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= min) return v.asInt();
    problems.add(
        problem(
            tool,
            key,
            "'"
                + (v.isTextual() ? v.asText() : v.toString())
                + "' is not "
                + (min > 0 ? "a positive" : "a")
                + " whole number"
                + (min > 0 ? "" : " (0 or more)")));
    return null;
  }

  private static @Nullable OnIndeterminate decision(
      String tool, JsonNode settings, List<SettingProblem> problems) {
    JsonNode v = settings.get("on_indeterminate");
    if (v == null) return null;
    OnIndeterminate d = v.isTextual() ? OnIndeterminate.parse(v.asText()) : null;
    if (d == null) {
      problems.add(
          problem(
              tool,
              "on_indeterminate",
              "'" + v.asText() + "' is not one of wait, retry, skip, fail"));
    }
    return d;
  }

  private static SettingProblem problem(String tool, String key, String message) {
    return new SettingProblem(List.of("policy", "tools", tool, key), message);
  }
}
