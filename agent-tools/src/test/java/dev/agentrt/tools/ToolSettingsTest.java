package dev.agentrt.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.tools.ToolBus.SettingProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolSettingsTest {
  static final ToolSettings DEFAULTS =
      new ToolSettings(Duration.ofSeconds(60), 1024, OnIndeterminate.WAIT);

  @Test
  void parse_everyCommonSetting_isTyped() {
    List<SettingProblem> problems = new ArrayList<>();

    ToolSettings s =
        ToolSettings.parse(
            "send",
            TestSupport.json(
                "{'timeout': '2m', 'max_output_bytes': 99, 'on_indeterminate': 'skip'}"),
            DEFAULTS,
            problems);

    assertThat(problems).isEmpty();
    assertThat(s).isEqualTo(new ToolSettings(Duration.ofMinutes(2), 99, OnIndeterminate.SKIP));
  }

  @Test
  void parse_noSettings_keepsTheDefaults() {
    List<SettingProblem> problems = new ArrayList<>();

    assertThat(ToolSettings.parse("send", TestSupport.json("{}"), DEFAULTS, problems))
        .isEqualTo(DEFAULTS);
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "fs.read  | {'timeout': 'soon'}           | policy.tools.fs.read.timeout: 'soon' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)",
        "fs.read  | {'max_bytes': 'lots'}         | policy.tools.fs.read.max_bytes: 'lots' is not a positive whole number",
        "fs.write | {'max_bytes': 0}              | policy.tools.fs.write.max_bytes: '0' is not a positive whole number",
        "fs.list  | {'max_entries': 1.5}          | policy.tools.fs.list.max_entries: '1.5' is not a positive whole number",
        "grep     | {'max_matches': -3}           | policy.tools.grep.max_matches: '-3' is not a positive whole number",
        "http     | {'max_redirects': -1}         | policy.tools.http.max_redirects: '-1' is not a whole number (0 or more)",
        "http     | {'read_timeout': 5}           | policy.tools.http.read_timeout: '5' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or ISO-8601 like PT30S)",
        "send     | {'enabled': 'yes'}            | policy.tools.send.enabled: 'yes' is not true or false",
        "send     | {'max_output_bytes': 0}       | policy.tools.send.max_output_bytes: '0' is not a positive whole number",
        "send     | {'on_indeterminate': 'ask'}   | policy.tools.send.on_indeterminate: 'ask' is not one of wait, retry, skip, fail",
      })
  void parse_malformedValue_isAProblemNamingTheKeyAndTheDefaultStands(
      String tool, String settings, String problem) {
    List<SettingProblem> problems = new ArrayList<>();

    ToolSettings s = ToolSettings.parse(tool, TestSupport.json(settings), DEFAULTS, problems);

    assertThat(problems).extracting(SettingProblem::toString).containsExactly(problem);
    assertThat(s).isEqualTo(DEFAULTS);
  }

  @Test
  void parse_severalMalformedValues_reportsEachInAStableOrder() {
    List<SettingProblem> problems = new ArrayList<>();

    ToolSettings.parse(
        "http",
        TestSupport.json(
            "{'on_indeterminate': 'ask', 'max_redirects': -1, 'timeout': 'soon',"
                + " 'enabled': 1}"),
        DEFAULTS,
        problems);

    assertThat(problems)
        .extracting(p -> String.join(".", p.key()))
        .containsExactly(
            "policy.tools.http.enabled",
            "policy.tools.http.timeout",
            "policy.tools.http.max_redirects",
            "policy.tools.http.on_indeterminate");
  }
}
