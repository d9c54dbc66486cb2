package dev.agentrt.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.Experimental;
import dev.agentrt.llm.internal.ScriptedChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A scripted conversation built in Java, for tests that need no script file: the same replay as
 * {@code provider: scripted} (docs/agents.md). The turn answered is the number of assistant
 * messages already in the request, so the model keeps no conversation state and a resumed run gets
 * the same turns; a request the script does not cover fails the step with an "off script" message.
 * Register it with {@code AgentRuntime.Builder.model(name, model)}:
 *
 * <pre>{@code
 * ScriptedModel m = ScriptedModel.builder()
 *     .toolCall("fs.read", Map.of("path", "README.md"))   // turn 1: one tool call
 *     .answer("{\"verdict\":\"approve\"}")                // turn 2: the answer
 *     .usage(30, 8)                                       // tokens of turn 2
 *     .build();
 * try (AgentRuntime rt = AgentRuntime.builder().configDir(dir).model("default", m).build()) {
 *   rt.run("review", Map.of());
 * }
 * assert m.calls() == 2;
 * }</pre>
 *
 * <p>Several tool calls in one turn: {@code turn(t -> t.toolCall("a", Map.of()).toolCall("b",
 * Map.of()))}. Several conversations, chosen by the first whose {@code when} text occurs in the
 * system or first user message (like the YAML {@code conversations:}): {@code conversation("round
 * 1").answer("x").conversation("round 2").answer("y")}.
 *
 * <p>An agent with {@code stream: true} gets {@link #streaming()}: a text answer in a few pieces.
 * Thread-safe.
 *
 * @since 0.1
 */
@Experimental
public final class ScriptedModel implements ChatModel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScriptedChatModel script;
  private final AtomicInteger calls = new AtomicInteger();
  private final StreamingChatModel streaming;

  private ScriptedModel(ScriptedChatModel script) {
    this.script = script;
    this.streaming = ScriptedChatModel.streaming(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The script in {@code file}, in the YAML format of {@code provider: scripted} ({@code turns:} or
   * {@code conversations:}).
   *
   * @throws IllegalArgumentException if the file cannot be read or a turn is wrong (naming the file
   *     and the turn)
   */
  public static ScriptedModel fromScript(Path file) {
    Path abs = file.toAbsolutePath();
    return new ScriptedModel(ScriptedChatModel.load(abs.getParent(), abs.getFileName().toString()));
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    calls.incrementAndGet();
    return script.doChat(request);
  }

  /**
   * This script as a streaming model (the same turns and call count), for agents with {@code
   * stream: true}: a text answer is delivered in a few pieces.
   */
  public StreamingChatModel streaming() {
    return streaming;
  }

  /** How many requests this model was asked to answer (streamed ones included). */
  public int calls() {
    return calls.get();
  }

  /** Builds a {@link ScriptedModel}. Not thread-safe. */
  public static final class Builder {
    private final List<ScriptedChatModel.Conversation> conversations = new ArrayList<>();
    private @Nullable String when;
    private boolean declared;
    private List<ScriptedChatModel.Turn> turns = new ArrayList<>();

    private Builder() {}

    /** Adds a turn whose answer is {@code text}. */
    public Builder answer(String text) {
      return turn(t -> t.answer(text));
    }

    /**
     * Adds a turn with one tool call; {@code arguments} is a {@code Map}, a {@link JsonNode} object
     * or a JSON object text.
     */
    public Builder toolCall(String name, Object arguments) {
      return turn(t -> t.toolCall(name, arguments));
    }

    /**
     * Adds a turn made by {@code turn} (several tool calls, text with tool calls, expected tool
     * results).
     *
     * @throws IllegalArgumentException if the turn has neither text nor a tool call
     */
    public Builder turn(Consumer<Turn> turn) {
      Turn t = new Turn();
      turn.accept(t);
      if (t.text == null && t.calls.isEmpty()) {
        throw new IllegalArgumentException(
            where()
                + "turn "
                + (turns.size() + 1)
                + " has neither text nor a tool call (call answer(...) or toolCall(...) in it)");
      }
      turns.add(t.build());
      return this;
    }

    /**
     * Sets the tokens of the last turn added (default 0 and 0).
     *
     * @throws IllegalStateException if no turn was added yet (to this conversation)
     */
    public Builder usage(int inputTokens, int outputTokens) {
      if (turns.isEmpty())
        throw new IllegalStateException(
            where() + "usage(...) needs a turn before it (add answer(...) or toolCall(...) first)");
      ScriptedChatModel.Turn last = turns.remove(turns.size() - 1);
      turns.add(
          new ScriptedChatModel.Turn(
              last.text(), last.calls(), last.expectToolResults(), inputTokens, outputTokens));
      return this;
    }

    /**
     * Starts a conversation answered when {@code when} occurs in the system or first user message;
     * the turns added next belong to it. Conversations are tried in order, the first match answers.
     *
     * @throws IllegalStateException if turns were added before the first conversation
     */
    public Builder conversation(String when) {
      Objects.requireNonNull(when, "when");
      if (when.isEmpty()) throw new IllegalArgumentException("conversation(when): when is empty");
      close();
      this.when = when;
      this.declared = true;
      return this;
    }

    /**
     * The model.
     *
     * @throws IllegalStateException if it has no turn, or a conversation has none
     */
    public ScriptedModel build() {
      List<ScriptedChatModel.Conversation> all = new ArrayList<>(conversations);
      if (!turns.isEmpty() || declared) {
        if (turns.isEmpty())
          throw new IllegalStateException(
              where() + "has no turns (add answer(...) or toolCall(...) after conversation(...))");
        all.add(new ScriptedChatModel.Conversation(when, List.copyOf(turns)));
      }
      if (all.isEmpty())
        throw new IllegalStateException(
            "ScriptedModel.builder(): no turns (add answer(...) or toolCall(...) before build())");
      return new ScriptedModel(ScriptedChatModel.of("ScriptedModel", all));
    }

    private void close() {
      if (!declared && !turns.isEmpty()) {
        throw new IllegalStateException(
            "ScriptedModel.builder(): turns added before the first conversation(...) would answer"
                + " every request (add them after a conversation(...))");
      }
      if (declared) {
        if (turns.isEmpty())
          throw new IllegalStateException(
              where() + "has no turns (add answer(...) or toolCall(...) after conversation(...))");
        conversations.add(new ScriptedChatModel.Conversation(when, List.copyOf(turns)));
      }
      turns = new ArrayList<>();
    }

    private String where() {
      return declared
          ? "ScriptedModel.builder(): conversation '" + when + "': "
          : "ScriptedModel.builder(): ";
    }
  }

  /** One turn being built, in {@link Builder#turn}. */
  public static final class Turn {
    private @Nullable String text;
    private final List<ScriptedChatModel.Call> calls = new ArrayList<>();
    private @Nullable List<ScriptedChatModel.Expected> expected;
    private int inputTokens;
    private int outputTokens;

    private Turn() {}

    /** The turn's text (the agent's answer when the turn has no tool call). */
    public Turn answer(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * Adds a tool call; {@code arguments} is a {@code Map}, a {@link JsonNode} object or a JSON
     * object text.
     *
     * @throws IllegalArgumentException if the arguments are not a JSON object
     */
    public Turn toolCall(String name, Object arguments) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(arguments, "arguments");
      JsonNode args;
      try {
        args =
            arguments instanceof JsonNode n
                ? n
                : arguments instanceof String s ? JSON.readTree(s) : JSON.valueToTree(arguments);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tool call '" + name + "': arguments are not JSON: " + e.getMessage(), e);
      }
      if (args == null || !args.isObject())
        throw new IllegalArgumentException(
            "tool call '" + name + "': arguments must be a JSON object, got " + args);
      calls.add(new ScriptedChatModel.Call(name, args));
      return this;
    }

    /**
     * Expects the tool results sent with the request of this turn, in order: the step fails "off
     * script" when they differ ({@code content} a text, or an object compared as JSON).
     */
    public Turn expectToolResult(String name, Object content) {
      if (expected == null) expected = new ArrayList<>();
      expected.add(
          new ScriptedChatModel.Expected(
              Objects.requireNonNull(name, "name"), JSON.valueToTree(content)));
      return this;
    }

    /** The turn's tokens (default 0 and 0). */
    public Turn usage(int inputTokens, int outputTokens) {
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
      return this;
    }

    ScriptedChatModel.Turn build() {
      return new ScriptedChatModel.Turn(
          text,
          List.copyOf(calls),
          expected == null ? null : List.copyOf(expected),
          inputTokens,
          outputTokens);
    }
  }
}
