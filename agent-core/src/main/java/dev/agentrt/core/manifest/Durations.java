package dev.agentrt.core.manifest;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of {@code config.yml} and the manifests, for every module that reads a
 * duration from configuration: a whole number with a unit, {@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 2h}, {@code 90d}, or an ISO-8601 duration such as {@code PT30S} or {@code P1DT2H}.
 *
 * @since 0.1
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

  /**
   * What to write, for messages: {@code "write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S"}.
   */
  public static final String SYNTAX = "write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S";

  private Durations() {}

  /**
   * Parses {@code text} (surrounding blanks ignored; units in any case).
   *
   * @throws IllegalArgumentException naming the text and the syntax if it is not a duration
   */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          case "h":
            return Duration.ofHours(n);
          default:
            return Duration.ofDays(n);
        }
      }
      return Duration.parse(t);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (" + SYNTAX + ")");
    }
  }

  /**
   * Parses {@code text} as {@link #parse} does and requires it to be longer than zero.
   *
   * @throws IllegalArgumentException if it is not a duration, or is zero or negative
   */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a positive duration (" + SYNTAX + ")");
    }
    return d;
  }
}
