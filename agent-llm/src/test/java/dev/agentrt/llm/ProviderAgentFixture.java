package dev.agentrt.llm;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A {@code .agent/} directory with agent {@code helper} (tool {@code echo}) on one model entry. */
final class ProviderAgentFixture {
  static final String SECRET = "sk-planted-provider-7f3a";

  private ProviderAgentFixture() {}

  /** Writes the directory; {@code model} is the {@code models.default} entry body, indented 4. */
  static Path write(Path dir, String model) throws IOException {
    return write(dir, model, "echo");
  }

  /** As {@link #write(Path, String)}, the agent's tool named {@code tool}. */
  static Path write(Path dir, String model, String tool) throws IOException {
    Path c = dir.resolve(".agent");
    Files.createDirectories(c.resolve("workflows"));
    Files.createDirectories(c.resolve("agents"));
    Files.createDirectories(c.resolve("prompts"));
    Files.writeString(c.resolve("config.yml"), "models:\n  default:\n" + model);
    Files.writeString(c.resolve("prompts/helper.md"), "You help with {{input.topic}}.");
    Files.writeString(
        c.resolve("agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n" + "tools: [" + tool + "]\n");
    Files.writeString(
        c.resolve("workflows/ask.yml"),
        "id: ask\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: ask, kind: agent, agent: helper}\n"
            + "  - {id: done, role: exit, output: \"{{ask}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: ask}\n"
            + "  - {from: ask, to: done}\n");
    return c;
  }

  static RunResult run(Path config, EchoTool echo, RecordingStore store) {
    try (AgentRuntime rt = runtime(config, echo, store)) {
      return rt.run("ask", Map.of("topic", "maths"));
    }
  }

  static AgentRuntime runtime(Path config, EchoTool echo, RecordingStore store) {
    return AgentRuntime.builder()
        .configDir(config)
        .tool(echo)
        .checkpointStore(store)
        .sleeper(d -> {})
        .environment(n -> n.equals("TEST_KEY") ? SECRET : System.getenv(n))
        .build();
  }
}
