package dev.agentrt.llm.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tool names on a provider's wire (ARCHITECTURE §11). Our tools are named {@code fs.read}; OpenAI
 * accepts only {@code ^[a-zA-Z0-9_-]{1,64}$} as a function name and Anthropic {@code
 * ^[a-zA-Z0-9_-]{1,128}$}, so every HTTP provider's model is wrapped ({@link #wrap}): the tool
 * specifications and the tool calls and results in the messages go out under {@link #of} their
 * name, and the model's tool calls come back under ours. Everything else (records, spans, events,
 * scripts, policy) only ever sees our names.
 *
 * <p>The mapping keeps a name that is already wire-safe, replaces every other character by {@code
 * _}, and shortens a name longer than {@value #MAX_LENGTH} characters to a prefix and a hash of the
 * whole name. Two tools of one agent that map to one wire name are a load error ({@link
 * #collision}).
 */
public final class WireNames {
  /** The longest name every provider accepts (OpenAI's limit). */
  static final int MAX_LENGTH = 64;

  private static final Pattern SAFE = Pattern.compile("[a-zA-Z0-9_-]{1," + MAX_LENGTH + "}");
  private static final Pattern UNSAFE_CHAR = Pattern.compile("[^a-zA-Z0-9_-]");
  private static final int HASH_CHARS = 8;

  private WireNames() {}

  /** The name {@code tool} has on a provider's wire. */
  public static String of(String tool) {
    if (SAFE.matcher(tool).matches()) return tool;
    String safe = UNSAFE_CHAR.matcher(tool).replaceAll("_");
    if (safe.isEmpty()) safe = "tool";
    if (safe.length() <= MAX_LENGTH) return safe;
    return safe.substring(0, MAX_LENGTH - HASH_CHARS - 1)
        + "_"
        + sha256(tool).substring(0, HASH_CHARS);
  }

  /**
   * The first two of {@code tools} that share a wire name, as {@code "'a.b' and 'a_b' both map to
   * the provider tool name 'a_b'"}, or empty when each has its own.
   */
  public static Optional<String> collision(Collection<String> tools) {
    Map<String, String> byWire = new LinkedHashMap<>();
    for (String t : tools) {
      String prev = byWire.putIfAbsent(of(t), t);
      if (prev != null && !prev.equals(t)) {
        return Optional.of(
            "'" + prev + "' and '" + t + "' both map to the provider tool name '" + of(t) + "'");
      }
    }
    return Optional.empty();
  }

  /** {@code model} speaking wire names to its provider and our names to its caller. */
  public static ChatModel wrap(ChatModel model) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        Mapping m = Mapping.of(request);
        return m.back(model.chat(m.out(request)));
      }

      @Override
      public ChatRequestParameters defaultRequestParameters() {
        return model.defaultRequestParameters();
      }

      @Override
      public ModelProvider provider() {
        return model.provider();
      }
    };
  }

  /**
   * {@code model} speaking wire names to its provider and our names to its caller. The caller's
   * handler receives the text pieces, the complete response and errors.
   */
  public static StreamingChatModel wrap(StreamingChatModel model) {
    return new StreamingChatModel() {
      @Override
      public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        Mapping m = Mapping.of(request);
        model.chat(
            m.out(request),
            new StreamingChatResponseHandler() {
              @Override
              public void onPartialResponse(String text) {
                handler.onPartialResponse(text);
              }

              @Override
              public void onCompleteResponse(ChatResponse response) {
                handler.onCompleteResponse(m.back(response));
              }

              @Override
              public void onError(Throwable error) {
                handler.onError(error);
              }
            });
      }

      @Override
      public ChatRequestParameters defaultRequestParameters() {
        return model.defaultRequestParameters();
      }

      @Override
      public ModelProvider provider() {
        return model.provider();
      }
    };
  }

  /** The names of one request: ours to wire and back. */
  private static final class Mapping {
    private final Map<String, String> toWire = new LinkedHashMap<>();
    private final Map<String, String> fromWire = new LinkedHashMap<>();

    static Mapping of(ChatRequest request) {
      Mapping m = new Mapping();
      List<ToolSpecification> specs = request.toolSpecifications();
      if (specs != null) for (ToolSpecification s : specs) m.add(s.name());
      for (ChatMessage msg : request.messages()) {
        if (msg instanceof AiMessage a && a.hasToolExecutionRequests()) {
          for (ToolExecutionRequest r : a.toolExecutionRequests()) m.add(r.name());
        } else if (msg instanceof ToolExecutionResultMessage r) {
          m.add(r.toolName());
        }
      }
      return m;
    }

    private void add(String tool) {
      if (tool == null || toWire.containsKey(tool)) return;
      String wire = WireNames.of(tool);
      String prev = fromWire.putIfAbsent(wire, tool);
      if (prev != null && !prev.equals(tool)) {
        throw new IllegalArgumentException(
            "tools '"
                + prev
                + "' and '"
                + tool
                + "' both map to the provider tool name '"
                + wire
                + "' (offer only one of them)");
      }
      toWire.put(tool, wire);
    }

    private boolean identity() {
      for (Map.Entry<String, String> e : toWire.entrySet())
        if (!e.getKey().equals(e.getValue())) return false;
      return true;
    }

    ChatRequest out(ChatRequest request) {
      if (identity()) return request;
      List<ChatMessage> messages = new ArrayList<>();
      for (ChatMessage msg : request.messages()) {
        if (msg instanceof AiMessage a && a.hasToolExecutionRequests()) {
          messages.add(
              a.toBuilder()
                  .toolExecutionRequests(rename(a.toolExecutionRequests(), toWire))
                  .build());
        } else if (msg instanceof ToolExecutionResultMessage r && r.toolName() != null) {
          messages.add(r.toBuilder().toolName(toWire.get(r.toolName())).build());
        } else {
          messages.add(msg);
        }
      }
      ChatRequest.Builder b = ChatRequest.builder().messages(messages);
      List<ToolSpecification> specs = request.toolSpecifications();
      if (specs != null && !specs.isEmpty()) {
        List<ToolSpecification> renamed = new ArrayList<>();
        for (ToolSpecification s : specs)
          renamed.add(s.toBuilder().name(toWire.get(s.name())).build());
        b.parameters(
            request
                .parameters()
                .overrideWith(ChatRequestParameters.builder().toolSpecifications(renamed).build()));
      } else {
        b.parameters(request.parameters());
      }
      return b.build();
    }

    ChatResponse back(ChatResponse response) {
      AiMessage ai = response.aiMessage();
      if (identity() || ai == null || !ai.hasToolExecutionRequests()) return response;
      return response.toBuilder()
          .aiMessage(
              ai.toBuilder()
                  .toolExecutionRequests(rename(ai.toolExecutionRequests(), fromWire))
                  .build())
          .build();
    }

    /** {@code calls} with each name replaced through {@code names}; a name not in it is kept. */
    private static List<ToolExecutionRequest> rename(
        List<ToolExecutionRequest> calls, Map<String, String> names) {
      List<ToolExecutionRequest> out = new ArrayList<>();
      for (ToolExecutionRequest r : calls) {
        String n = r.name() == null ? null : names.get(r.name());
        out.add(n == null || n.equals(r.name()) ? r : r.toBuilder().name(n).build());
      }
      return out;
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
