package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.ManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterKindTest {
  @TempDir Path dir;

  @Test
  void load_routerKindWithAgentLlmPresent_saysThisVersionLacksIt() throws Exception {
    Files.createDirectories(dir.resolve("workflows"));
    // the store in memory: the default, SQLite at var/agentrt/runs.db, would be written into the
    // working directory
    Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: pick, kind: router}
          - {id: done, role: exit}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: done}
        """);

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(dir).build())
        .isInstanceOf(ManifestException.class)
        .hasMessageEndingWith(
            "workflows/w.yml:4:22: node 'pick': kind 'router' has no executor: dev.agentrt:agent-llm"
                + " is on the classpath but this version does not provide kind 'router'");
  }
}
