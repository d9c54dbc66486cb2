package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's tool policy is checked when the configuration loads: a problem at its key, not an
 * exception.
 */
class AgentPolicyConfigTest {
  @TempDir Path dir;

  @Test
  void load_agentWithMissingWorkspace_reportsThePolicyKey() throws IOException {
    Path c = dir.resolve(".agent");
    Files.createDirectories(c.resolve("workflows"));
    Files.createDirectories(c.resolve("agents"));
    Files.createDirectories(c.resolve("scripts"));
    Files.writeString(c.resolve("scripts/s.yml"), "turns:\n  - text: done\n");
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline: {provider: scripted, script: scripts/s.yml}\n"
            + "policy:\n  workspace: "
            + dir.resolve("nope")
            + "\n");
    Files.writeString(c.resolve("agents/a.yml"), "name: a\nmodel: offline\ntools: [fs.read]\n");
    Files.writeString(
        c.resolve("workflows/w.yml"),
        "id: w\nnodes:\n  - {id: start, role: start}\n"
            + "  - {id: ask, kind: agent, agent: a}\n  - {id: done, role: exit}\n"
            + "edges:\n  - {from: start, to: ask}\n  - {from: ask, to: done}\n");

    assertThatThrownBy(() -> AgentRuntime.builder().configDir(c).build())
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "1 problem in the agent configuration:\nconfig.yml:4:14: policy.workspace: directory '"
                + dir.resolve("nope")
                + "' does not exist (create it, or point policy.workspace at a directory)");
  }
}
