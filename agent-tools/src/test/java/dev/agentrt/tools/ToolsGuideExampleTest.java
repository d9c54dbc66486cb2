package dev.agentrt.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/tools.md ("Registering tools"), kept compiling and running. */
class ToolsGuideExampleTest {
  @TempDir Path dir;

  record WordCountArgs(@JsonPropertyDescription("text to count") String text) {}

  static final class WordCount implements Tool {
    private static final ToolDescriptor D =
        new ToolDescriptor(
            "text.words",
            "Counts the words of a text.",
            ToolSchemas.of(WordCountArgs.class),
            Set.of(),
            Effect.NONE);

    @Override
    public ToolDescriptor descriptor() {
      return D;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      WordCountArgs a = call.argumentsAs(WordCountArgs.class);
      return ToolResult.success(IntNode.valueOf(a.text().split("\\s+").length));
    }
  }

  static final class Shouter {
    @dev.langchain4j.agent.tool.Tool("Upper-cases a text.")
    public String shout(String text) {
      return text.toUpperCase(Locale.ROOT);
    }
  }

  @Test
  void run_toolsMdExample_callsBuilderAndLangChain4jToolsAndReportsThem() throws IOException {
    Files.createDirectories(dir.resolve(".agent/workflows"));
    Files.writeString(
        dir.resolve(".agent/workflows/count.yml"),
        """
        id: count
        nodes:
          - {id: start, role: start}
          - {id: words, kind: tool, tool: text.words, args: {text: "{{input.text}}"}}
          - {id: shout, kind: tool, tool: shout, args: {text: "{{input.text}}"}}
          - {id: done, role: exit, output: {words: "{{words}}", shout: "{{shout}}"}}
        edges:
          - {from: start, to: words}
          - {from: words, to: shout}
          - {from: shout, to: done}
        """);
    List<String> log = new CopyOnWriteArrayList<>();

    AgentRuntime.Builder b =
        AgentRuntime.builder()
            .configDir(dir.resolve(".agent"))
            .tool(new WordCount())
            .listener(
                new RunListener() {
                  @Override
                  public void toolCalled(RunEvent.ToolCalled e) {
                    log.add(e.stepKey() + " " + e.tool() + " " + (e.ok() ? "ok" : e.failure()));
                  }
                });
    LangChain4jTools.from(Effect.NONE, new Shouter()).forEach(b::tool);
    try (AgentRuntime rt = b.build()) {
      RunResult r = rt.run("count", Map.of("text", "one two three"));

      assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(TestSupport.json("{'words': 3, 'shout': 'ONE TWO THREE'}"));
      assertThat(log).containsExactly("words#0 text.words ok", "shout#0 shout ok");
    }
  }
}
