package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed runtime leaves no thread behind: not its run threads, nor the threads of its one tool
 * bus or of its {@code tool} and {@code agent} executors.
 */
class RuntimeThreadsTest {
  /**
   * Runtimes built, run and closed: a leaked thread per runtime, or one leaked now and then by a
   * race at close, shows up as hundreds; more only makes the build slower (1,000 took 33 s).
   */
  private static final int RUNTIMES = 200;

  @TempDir Path dir;
  Path c;
  final Set<Thread> toolThreads = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents", "prompts", "scripts"})
      Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("config.yml"),
        "models:\n  offline:\n    provider: scripted\n    script: scripts/s.yml\n");
    Files.writeString(c.resolve("prompts/p.md"), "Look at {{input.text}}.");
    Files.writeString(
        c.resolve("agents/looker.yml"),
        "name: looker\nmodel: offline\nsystem: prompts/p.md\ntools: [echo]\n");
    // two tool calls in one response run concurrently, on the agent executor's threads
    Files.writeString(
        c.resolve("scripts/s.yml"),
        "turns:\n"
            + "  - tool_calls: [{name: echo, arguments: {text: a}}, {name: echo, arguments: {text: b}}]\n"
            + "  - text: seen\n");
    Files.writeString(
        c.resolve("workflows/flow.yml"),
        "id: flow\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: call, kind: tool, tool: echo, args: {text: x}}\n"
            + "  - {id: look, kind: agent, agent: looker}\n"
            + "  - {id: done, role: exit, output: {look: \"{{look}}\"}}\n"
            + "edges:\n"
            + "  - {from: start, to: call}\n"
            + "  - {from: call, to: look}\n"
            + "  - {from: look, to: done}\n");
  }

  @Test
  void close_hundredsOfRuntimesWithToolAndAgentExecutors_leaveNoThread()
      throws InterruptedException {
    runOnce(); // threads the JVM starts once (such as logging) are not the runtime's
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    toolThreads.clear();

    for (int i = 0; i < RUNTIMES; i++) runOnce();

    List<String> left = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (before.contains(t)) continue;
      t.join(10_000); // a closed pool's threads end once they see the shutdown; none may stay
      if (t.isAlive()) left.add(t.getName());
    }
    assertThat(left).isEmpty();
    assertThat(toolThreads)
        .as("the bus ran tools on threads of its own")
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
  }

  private void runOnce() {
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(c)
            .tool(new ThreadRecordingTool())
            .checkpointStore(CheckpointStore.inMemory(10))
            .build()) {
      RunResult r = rt.start("flow", Map.of("text", "it")).await();
      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
    }
  }

  /** Tool {@code echo}: remembers the thread it ran on. */
  private final class ThreadRecordingTool implements Tool {
    private final EchoTool echo = new EchoTool();

    @Override
    public ToolDescriptor descriptor() {
      return echo.descriptor();
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      toolThreads.add(Thread.currentThread());
      return ToolResult.success(TextNode.valueOf("echo:" + call.argument("text").asText()));
    }
  }
}
