package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration syntax of the configuration. */
class DurationsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "500ms, PT0.5S",
    "5s, PT5S",
    "10m, PT10M",
    "2h, PT2H",
    "90d, PT2160H",
    "PT30S, PT30S",
    "P1DT2H, PT26H",
    "' 30S ', PT30S"
  })
  void parse_shortAndIsoForms_giveTheDuration(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"5 s", "soon", "5", "1.5h", "-5s", "999999999999999999d", ""})
  void parse_somethingElse_namesTheTextAndTheSyntax(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'"
                + text
                + "' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0s", "PT0S", "-PT5S"})
  void parsePositive_zeroOrNegative_isRefused(String text) {
    assertThatThrownBy(() -> Durations.parsePositive(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'"
                + text
                + "' is not a positive duration (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)");
  }
}
