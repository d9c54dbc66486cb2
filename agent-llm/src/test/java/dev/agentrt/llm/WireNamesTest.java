package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.llm.internal.WireNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireNamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "echo, echo",
    "fs.read, fs_read",
    "tests.run, tests_run",
    "json.query, json_query",
    "send_message, send_message",
    "a-b_C9, a-b_C9",
    "'über tool', _ber_tool"
  })
  void of_name_isWireSafe(String ours, String wire) {
    assertThat(WireNames.of(ours)).isEqualTo(wire).matches("^[a-zA-Z0-9_-]{1,64}$");
  }

  @Test
  void of_nameLongerThan64_isShortenedWithHashOfWholeName() {
    String a = "x".repeat(70) + ".a";
    String b = "x".repeat(70) + ".b";

    assertThat(WireNames.of(a))
        .hasSize(64)
        .matches("^[a-zA-Z0-9_-]{1,64}$")
        .startsWith("x".repeat(55) + "_");
    assertThat(WireNames.of(a)).isNotEqualTo(WireNames.of(b));
    assertThat(WireNames.of("y".repeat(64))).isEqualTo("y".repeat(64));
  }

  @Test
  void collision_twoNamesOneWireName_namesBoth() {
    assertThat(WireNames.collision(List.of("fs.read", "grep", "fs_read")))
        .contains("'fs.read' and 'fs_read' both map to the provider tool name 'fs_read'");
    assertThat(WireNames.collision(List.of("fs.read", "fs.write", "fs_list"))).isEmpty();
  }
}
