package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real providers, each only when its key is in the environment (skipped otherwise, as on CI): a
 * plain answer with usage counted. Model names can be overridden with AGENTRT_IT_OPENAI_MODEL and
 * AGENTRT_IT_ANTHROPIC_MODEL.
 */
class RealProvidersIT {
  @TempDir Path dir;

  @Test
  @EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
  void run_realOpenAi_answersAndCountsUsage() throws IOException {
    RunResult r =
        run("openai", "${env:OPENAI_API_KEY}", "${env:AGENTRT_IT_OPENAI_MODEL:-gpt-4.1-mini}");

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).contains("4");
    assertThat(r.usage().inputTokens()).isPositive();
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "ANTHROPIC_API_KEY", matches = ".+")
  void run_realAnthropic_answersAndCountsUsage() throws IOException {
    RunResult r =
        run(
            "anthropic",
            "${env:ANTHROPIC_API_KEY}",
            "${env:AGENTRT_IT_ANTHROPIC_MODEL:-claude-3-5-haiku-latest}");

    assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    assertThat(r.output().asText()).contains("4");
    assertThat(r.usage().inputTokens()).isPositive();
  }

  private RunResult run(String provider, String key, String model) throws IOException {
    Path c = dir.resolve(".agent");
    Files.createDirectories(c.resolve("workflows"));
    Files.createDirectories(c.resolve("agents"));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  real:\n    provider: "
            + provider
            + "\n    model: "
            + model
            + "\n    api_key: "
            + key
            + "\ncheckpoint: {store: memory}\n");
    Files.writeString(c.resolve("agents/calc.yml"), "name: calc\nmodel: real\n");
    Files.writeString(
        c.resolve("workflows/ask.yml"),
        "id: ask\nnodes:\n  - {id: start, role: start}\n"
            + "  - {id: ask, kind: agent, agent: calc, input: {question: input.q}}\n  - {id: done, role: exit, output: \"{{ask}}\"}\n"
            + "edges:\n  - {from: start, to: ask}\n  - {from: ask, to: done}\n");
    try (AgentRuntime rt = AgentRuntime.builder().configDir(c).build()) {
      return rt.run("ask", Map.of("q", "What is 2 + 2? Answer with the number only."));
    }
  }
}
