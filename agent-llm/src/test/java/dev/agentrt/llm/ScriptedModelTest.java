package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScriptedModel}'s builder and replay, without a runtime. */
class ScriptedModelTest {
  @TempDir Path dir;

  static ChatRequest request(String system, String user) {
    return ChatRequest.builder()
        .messages(SystemMessage.from(system), UserMessage.from(user))
        .build();
  }

  @Test
  void turnWithSeveralToolCalls_answersThemInOneResponse() {
    ScriptedModel m =
        ScriptedModel.builder()
            .turn(t -> t.toolCall("a", Map.of("x", 1)).toolCall("b", "{\"y\":2}"))
            .usage(3, 4)
            .build();

    ChatResponse r = m.chat(request("s", "u"));

    assertThat(r.aiMessage().toolExecutionRequests())
        .extracting(q -> q.name() + " " + q.arguments())
        .containsExactly("a {\"x\":1}", "b {\"y\":2}");
    assertThat(r.tokenUsage().inputTokenCount()).isEqualTo(3);
    assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(4);
  }

  @Test
  void conversations_chosenByWhenText() {
    ScriptedModel m =
        ScriptedModel.builder()
            .conversation("round 1")
            .answer("x")
            .conversation("round 2")
            .answer("y")
            .build();

    assertThat(m.chat(request("this is round 2", "go")).aiMessage().text()).isEqualTo("y");
    assertThat(m.chat(request("sys", "round 1 now")).aiMessage().text()).isEqualTo("x");
    assertThatThrownBy(() -> m.chat(request("round 3", "go")))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining(
            "ScriptedModel: the conversation went off script: no conversation's 'when' ('round 1',"
                + " 'round 2')");
    assertThat(m.calls()).isEqualTo(3);
  }

  @Test
  void turnIsNumberOfAssistantMessages_offScriptBeyondTheLast() {
    ScriptedModel m = ScriptedModel.builder().answer("only").build();
    ChatRequest second =
        ChatRequest.builder()
            .messages(UserMessage.from("u"), AiMessage.from("only"), UserMessage.from("more"))
            .build();

    assertThatThrownBy(() -> m.chat(second))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining(
            "ScriptedModel: the conversation went off script: the runtime asked for turn 2 but"
                + " the script has 1 turn");
  }

  @Test
  void fromScript_readsTheYamlFormat() throws IOException {
    Path f = dir.resolve("s.yml");
    Files.writeString(
        f, "turns:\n  - text: hello\n    usage: {input_tokens: 2, output_tokens: 1}\n");

    ScriptedModel m = ScriptedModel.fromScript(f);

    assertThat(m.chat(request("s", "u")).aiMessage().text()).isEqualTo("hello");
  }

  @Test
  void builderErrors_areClear() {
    assertThatThrownBy(() -> ScriptedModel.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ScriptedModel.builder(): no turns (add answer(...) or toolCall(...) before build())");
    assertThatThrownBy(() -> ScriptedModel.builder().answer("a").turn(t -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ScriptedModel.builder(): turn 2 has neither text nor a tool call (call answer(...)"
                + " or toolCall(...) in it)");
    assertThatThrownBy(() -> ScriptedModel.builder().usage(1, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("usage(...) needs a turn before it");
    assertThatThrownBy(() -> ScriptedModel.builder().toolCall("a", "[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool call 'a': arguments must be a JSON object, got [1]");
    assertThatThrownBy(() -> ScriptedModel.builder().conversation("r1").conversation("r2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("conversation 'r1': has no turns");
    assertThatThrownBy(() -> ScriptedModel.builder().answer("a").conversation("r1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("turns added before the first conversation(...)");
  }
}
