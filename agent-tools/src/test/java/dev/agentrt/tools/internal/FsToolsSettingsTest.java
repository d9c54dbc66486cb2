package dev.agentrt.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.tools.TestSupport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FsToolsSettingsTest {

  static ToolContext context(String settings) {
    JsonNode s = TestSupport.json(settings);
    return new ToolContext() {
      @Override
      public Path workspace() {
        return Path.of("");
      }

      @Override
      public List<String> httpAllow() {
        return List.of();
      }

      @Override
      public JsonNode settings() {
        return s;
      }

      @Override
      public Instant deadline() {
        return Instant.MAX;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }

      @Override
      public boolean isCancelled() {
        return false;
      }
    };
  }

  @Test
  void intSetting_notSet_isTheDefault() {
    assertThat(FsTools.intSetting(context("{}"), "fs.read", "max_bytes", 7)).isEqualTo(7);
  }

  @Test
  void intSetting_positiveWholeNumber_isUsed() {
    assertThat(FsTools.intSetting(context("{'max_bytes': 10}"), "fs.read", "max_bytes", 7))
        .isEqualTo(10);
  }

  @Test
  void intSetting_malformed_failsNamingTheSettingInsteadOfUsingTheDefault() {
    assertThatThrownBy(
            () -> FsTools.intSetting(context("{'max_bytes': 'lots'}"), "fs.read", "max_bytes", 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy.tools.fs.read.max_bytes: 'lots' is not a positive whole number");
  }
}
