package dev.agentrt.examples.springboot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A LangChain4j {@link ChatModel} that runs in the process, in place of a provider: it reads the
 * order and status from the user message (the writer node's input, as JSON) and answers one
 * sentence. Declared as the bean {@code writer} ({@link ModelConfiguration}), it is {@code
 * models.writer}.
 */
final class WriterModel implements ChatModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public ChatResponse doChat(ChatRequest request) {
    calls.incrementAndGet();
    JsonNode input = lastUserJson(request);
    String order = input.path("order").asText("your order");
    String status = input.path("status").asText("unknown");
    String text =
        "shipped".equals(status)
            ? "Good news: order " + order + " has shipped."
            : "Order " + order + " is " + status + "; we will write again when it ships.";
    return ChatResponse.builder().aiMessage(AiMessage.from(text)).build();
  }

  /** How many times the model answered. */
  int calls() {
    return calls.get();
  }

  private static JsonNode lastUserJson(ChatRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      ChatMessage m = request.messages().get(i);
      if (m instanceof UserMessage u && u.hasSingleText()) {
        try {
          return JSON.readTree(u.singleText());
        } catch (java.io.IOException e) {
          return JSON.createObjectNode();
        }
      }
    }
    return JSON.createObjectNode();
  }
}
