package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How {@code run}, {@code resume} and {@code show} print a duration, for fixed durations: the ITs
 * run real processes, whose step durations vary with the machine's load, so they only check that a
 * duration is there; its format is checked here.
 */
class RunReportTest {
  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      0                | 0.0 ms
      40_000           | 0.0 ms
      120_000          | 0.1 ms
      1_240_000        | 1.2 ms
      9_940_000        | 9.9 ms
      10_000_000       | 10 ms
      999_999_999      | 999 ms
      9_999_999_999    | 9999 ms
      10_000_000_000   | 10.0 s
      83_240_000_000   | 83.2 s
      """)
  void millis_duration_printsTenthsBelowTenMsWholeMsBelowTenSecondsElseTenthsOfSeconds(
      String nanos, String expected) {
    assertThat(RunReport.millis(Duration.ofNanos(Long.parseLong(nanos.replace("_", "")))))
        .isEqualTo(expected);
  }
}
