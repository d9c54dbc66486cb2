package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountWordsTest {
  @Test
  void theAgentCountsWithTheTool() {
    try (AgentRuntime runtime =
        AgentRuntime.builder().configDir(Path.of(".agent")).tool(new WordCount()).build()) {
      RunResult result = runtime.run("count-words", Map.of("text", "the quick brown fox"));

      assertEquals(RunStatus.COMPLETED, result.status(), result.message());
      assertEquals("The text has 4 words.", result.output().asText());
    }
  }
}
