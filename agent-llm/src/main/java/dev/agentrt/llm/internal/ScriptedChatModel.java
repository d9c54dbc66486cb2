package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentrt.llm.ModelException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chat model that replays a YAML conversation. The turn answered is the number of assistant
 * messages already in the request, so the model keeps no state and a resumed run gets the same
 * turns. Script format:
 *
 * <pre>
 * turns:
 *   - tool_calls: [{name: lookup, arguments: {q: x}}]
 *     usage: {input_tokens: 12, output_tokens: 5}
 *   - expect_tool_results: [{name: lookup, content: {v: 1}}]   # optional; fields left out of
 *                                                              # an object are not compared
 *     text: "the answer"
 *     usage: {input_tokens: 30, output_tokens: 8}
 * </pre>
 *
 * <p>A script may instead hold several conversations, for an agent that runs in several steps (a
 * loop): {@code conversations: [{when: "round 1", turns: [...]}, {turns: [...]}]}. Each request is
 * answered from the first conversation whose {@code when} text occurs in the system message or the
 * first user message (a conversation without {@code when} matches any request), so the choice is
 * stateless too.
 */
public final class ScriptedChatModel implements ChatModel {
  /** How many pieces a streamed text answer is cut into (fewer when it is shorter). */
  static final int STREAM_PIECES = 3;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A tool call of a turn; {@code arguments} is a JSON object. */
  public record Call(String name, JsonNode arguments) {}

  /** An expected tool result ({@code name} empty: any; {@code content} missing: any). */
  public record Expected(String name, JsonNode content) {}

  /** One assistant turn: text, tool calls or both. */
  public record Turn(
      @Nullable String text,
      List<Call> calls,
      @Nullable List<Expected> expectToolResults,
      int inputTokens,
      int outputTokens) {}

  /** The turns answered when {@code when} (null: always) occurs in the opening messages. */
  public record Conversation(@Nullable String when, List<Turn> turns) {}

  private final String script;
  private final List<Conversation> conversations;

  private ScriptedChatModel(String script, List<Conversation> conversations) {
    this.script = script;
    this.conversations = List.copyOf(conversations);
  }

  /**
   * A model replaying {@code conversations} (checked by the caller), naming {@code label} in its
   * errors.
   */
  public static ScriptedChatModel of(String label, List<Conversation> conversations) {
    return new ScriptedChatModel(label, conversations);
  }

  /** Reads a script; throws IllegalArgumentException naming the file and the turn that is wrong. */
  public static ScriptedChatModel load(Path dir, String script) {
    JsonNode root;
    try {
      root = YAML.readTree(dir.resolve(script).toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(script + ": cannot be read: " + e.getMessage(), e);
    }
    if (root != null && root.has("conversations")) {
      if (!root.path("conversations").isArray() || root.path("conversations").isEmpty()) {
        throw new IllegalArgumentException(script + ": 'conversations:' must be a non-empty list");
      }
      List<Conversation> conversations = new ArrayList<>();
      int c = 0;
      for (JsonNode conv : root.path("conversations")) {
        c++;
        String where = script + ": conversation " + c;
        JsonNode when = conv.path("when");
        if (!when.isMissingNode()
            && !when.isNull()
            && (!when.isTextual() || when.asText().isEmpty())) {
          throw new IllegalArgumentException(where + ": 'when' must be a non-empty text");
        }
        conversations.add(
            new Conversation(when.isTextual() ? when.asText() : null, turns(where, conv)));
      }
      return new ScriptedChatModel(script, conversations);
    }
    List<Conversation> one = new ArrayList<>();
    one.add(new Conversation(null, turns(script, root)));
    return new ScriptedChatModel(script, one);
  }

  private static List<Turn> turns(String script, @Nullable JsonNode root) {
    if (root == null || !root.path("turns").isArray() || root.path("turns").isEmpty()) {
      throw new IllegalArgumentException(script + ": needs a non-empty list 'turns:'");
    }
    List<Turn> turns = new ArrayList<>();
    int n = 0;
    for (JsonNode t : root.path("turns")) {
      n++;
      String where = script + ": turn " + n + ": ";
      String text = t.hasNonNull("text") ? t.get("text").asText() : null;
      List<Call> calls = new ArrayList<>();
      for (JsonNode c : t.path("tool_calls")) {
        if (!c.hasNonNull("name"))
          throw new IllegalArgumentException(where + "a tool call has no 'name'");
        JsonNode args = c.path("arguments");
        if (args.isMissingNode() || args.isNull()) args = JSON.createObjectNode();
        if (!args.isObject())
          throw new IllegalArgumentException(
              where + "tool call '" + c.get("name").asText() + "': arguments must be a mapping");
        calls.add(new Call(c.get("name").asText(), args));
      }
      if (text == null && calls.isEmpty()) {
        throw new IllegalArgumentException(where + "has neither 'text' nor 'tool_calls'");
      }
      List<Expected> expected = null;
      if (t.has("expect_tool_results")) {
        expected = new ArrayList<>();
        for (JsonNode e : t.path("expect_tool_results")) {
          expected.add(new Expected(e.path("name").asText(""), e.path("content")));
        }
      }
      JsonNode usage = t.path("usage");
      turns.add(
          new Turn(
              text,
              calls,
              expected,
              usage.path("input_tokens").asInt(0),
              usage.path("output_tokens").asInt(0)));
    }
    return turns;
  }

  /**
   * The turns of the first conversation whose {@code when} occurs in the system or first user
   * message.
   */
  private List<Turn> conversation(List<ChatMessage> messages) {
    StringBuilder opening = new StringBuilder();
    boolean user = false;
    for (ChatMessage m : messages) {
      if (m instanceof SystemMessage sm) opening.append(sm.text()).append('\n');
      else if (!user && m instanceof UserMessage u && u.hasSingleText()) {
        opening.append(u.singleText()).append('\n');
        user = true;
      }
    }
    List<String> whens = new ArrayList<>();
    for (Conversation c : conversations) {
      if (c.when() == null || opening.indexOf(c.when()) >= 0) return c.turns();
      whens.add("'" + c.when() + "'");
    }
    throw new ModelException(
        script
            + ": the conversation went off script: no conversation's 'when' ("
            + String.join(", ", whens)
            + ") occurs in the system or user message\n+ system and user message sent: "
            + opening.toString().strip()
            + "\n(add a conversation to the script, or a conversation without 'when')");
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    List<ChatMessage> messages = request.messages();
    List<Turn> turns = conversation(messages);
    int turn = 0;
    int lastAi = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i) instanceof AiMessage) {
        turn++;
        lastAi = i;
      }
    }
    if (turn >= turns.size()) {
      throw new ModelException(
          script
              + ": the conversation went off script: the runtime asked for turn "
              + (turn + 1)
              + " but the script has "
              + turns.size()
              + (turns.size() == 1 ? " turn" : " turns")
              + "\n+ last message sent: "
              + describe(messages.get(messages.size() - 1))
              + "\n(add a turn to the script, or check why the agent did not"
              + " finish)");
    }
    Turn t = turns.get(turn);
    if (t.expectToolResults() != null) {
      List<ToolExecutionResultMessage> actual = new ArrayList<>();
      for (int i = lastAi + 1; i < messages.size(); i++) {
        if (messages.get(i) instanceof ToolExecutionResultMessage r) actual.add(r);
      }
      checkResults(turn + 1, t.expectToolResults(), actual);
    }
    List<ToolExecutionRequest> calls = new ArrayList<>();
    for (int i = 0; i < t.calls().size(); i++) {
      Call c = t.calls().get(i);
      calls.add(
          ToolExecutionRequest.builder()
              .id("call_" + (turn + 1) + "_" + (i + 1))
              .name(c.name())
              .arguments(c.arguments().toString())
              .build());
    }
    AiMessage.Builder ai = AiMessage.builder().text(t.text());
    if (!calls.isEmpty()) ai.toolExecutionRequests(calls);
    return ChatResponse.builder()
        .aiMessage(ai.build())
        .tokenUsage(new TokenUsage(t.inputTokens(), t.outputTokens()))
        .finishReason(calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_EXECUTION)
        .modelName("scripted")
        .build();
  }

  /** This script as a streaming model: the same turns, a text answer in a few pieces. */
  StreamingChatModel streaming() {
    return streaming(this);
  }

  /**
   * {@code model} as a streaming model: each response's text in up to {@value #STREAM_PIECES}
   * pieces, then the response.
   */
  public static StreamingChatModel streaming(ChatModel model) {
    return new StreamingChatModel() {
      @Override
      public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        stream(model, request, handler);
      }
    };
  }

  /**
   * Streams the turn's text in up to {@value #STREAM_PIECES} pieces, then completes with {@code
   * model}'s response.
   */
  private static void stream(
      ChatModel model, ChatRequest request, StreamingChatResponseHandler handler) {
    ChatResponse response;
    try {
      response = model.chat(request);
    } catch (RuntimeException e) {
      handler.onError(e);
      return;
    }
    String text = response.aiMessage().text();
    if (text != null && !text.isEmpty()) {
      int size = Math.max(1, (text.length() + STREAM_PIECES - 1) / STREAM_PIECES);
      for (int from = 0; from < text.length(); from += size) {
        handler.onPartialResponse(text.substring(from, Math.min(text.length(), from + size)));
      }
    }
    handler.onCompleteResponse(response);
  }

  private void checkResults(
      int turn, List<Expected> expected, List<ToolExecutionResultMessage> actual) {
    boolean same = expected.size() == actual.size();
    for (int i = 0; same && i < expected.size(); i++) {
      same = matches(expected.get(i), actual.get(i));
    }
    if (same) return;
    StringBuilder sb =
        new StringBuilder(script)
            .append(": turn ")
            .append(turn)
            .append(
                ": the conversation went off script: the tool results sent differ from the script\n");
    for (Expected e : expected)
      sb.append("- ").append(e.name()).append(": ").append(render(e.content())).append('\n');
    for (ToolExecutionResultMessage a : actual)
      sb.append("+ ").append(a.toolName()).append(": ").append(a.text()).append('\n');
    sb.append("(- expected by the script, + sent by the runtime; fix the script or the tool)");
    throw new ModelException(sb.toString());
  }

  private static boolean matches(Expected e, ToolExecutionResultMessage a) {
    if (!e.name().isEmpty() && !e.name().equals(a.toolName())) return false;
    if (e.content().isMissingNode()) return true;
    if (e.content().isTextual()) return e.content().asText().equals(a.text());
    try {
      return covers(e.content(), JSON.readTree(a.text()));
    } catch (IOException ex) {
      return false;
    }
  }

  /**
   * Whether {@code actual} has what {@code expected} gives: an object's fields the script leaves
   * out are not compared (a recorded script leaves out those that differ by machine), arrays match
   * element by element, other values are equal (numbers by value).
   */
  static boolean covers(JsonNode expected, @Nullable JsonNode actual) {
    if (actual == null) return false;
    if (expected.isObject()) {
      if (!actual.isObject()) return false;
      for (var f : expected.properties()) {
        if (!covers(f.getValue(), actual.get(f.getKey()))) return false;
      }
      return true;
    }
    if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) return false;
      for (int i = 0; i < expected.size(); i++) {
        if (!covers(expected.get(i), actual.get(i))) return false;
      }
      return true;
    }
    if (expected.isNumber() && actual.isNumber())
      return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
    return expected.equals(actual);
  }

  private static String render(JsonNode content) {
    if (content.isMissingNode()) return "(any)";
    return content.isTextual() ? content.asText() : content.toString();
  }

  private static String describe(ChatMessage m) {
    if (m instanceof ToolExecutionResultMessage r)
      return "tool result " + r.toolName() + ": " + r.text();
    if (m instanceof UserMessage u && u.hasSingleText()) return "user: " + u.singleText();
    if (m instanceof AiMessage a) return "assistant: " + a.text();
    return m.type().name().toLowerCase(java.util.Locale.ROOT);
  }
}
