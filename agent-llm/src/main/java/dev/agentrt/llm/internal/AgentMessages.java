package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.ToolDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Agent-to-agent messages (ARCHITECTURE §6 "messages from other agents"), delivered through run
 * state: the built-in tool {@value #TOOL} adds {@code {from, to, text, step, hop}} to the sender's
 * output under {@value #FIELD} (only when it sent some), and a recipient's context collects the
 * messages addressed to it from the latest outputs of the workflow's nodes, oldest first.
 */
public final class AgentMessages {
  /** The built-in tool's name. */
  public static final String TOOL = "send_message";

  /** The output field that carries the messages a step sent. */
  public static final String FIELD = "$messages";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AgentMessages() {}

  /** The agents of {@code workflow}'s agent nodes other than {@code self}, sorted. */
  public static List<String> recipients(WorkflowSpec workflow, String self) {
    Set<String> names = new TreeSet<>();
    for (NodeSpec n : workflow.nodes()) {
      if ("agent".equals(n.kind()) && n.agent() != null && !n.agent().equals(self))
        names.add(n.agent());
    }
    return List.copyOf(names);
  }

  /** The tool offered to an agent that can message {@code recipients}. */
  public static ToolDescriptor descriptor(List<String> recipients) {
    ObjectNode to =
        NODES.objectNode().put("type", "string").put("description", "the recipient agent's name");
    ArrayNode names = to.putArray("enum");
    recipients.forEach(names::add);
    ObjectNode schema = NODES.objectNode().put("type", "object");
    schema
        .putObject("properties")
        .<ObjectNode>set("to", to)
        .set("text", NODES.objectNode().put("type", "string").put("description", "the message"));
    schema.putArray("required").add("to").add("text");
    return new ToolDescriptor(
        TOOL,
        "Sends a message to another agent of this workflow; it is shown in that agent's"
            + " context the next time it runs.",
        schema,
        Set.of(),
        Effect.NONE);
  }

  /**
   * A message sent by {@code from} in step {@code step}, the run's {@code hop}-th node execution.
   */
  public static ObjectNode message(String from, String to, String text, String step, long hop) {
    return NODES
        .objectNode()
        .put("from", from)
        .put("to", to)
        .put("text", text)
        .put("step", step)
        .put("hop", hop);
  }

  /**
   * The node output for {@code answer} when the step sent {@code messages}: the answer itself when
   * it sent none; an object answer with {@value #FIELD} added; otherwise {@code {answer,
   * $messages}}.
   */
  public static JsonNode output(JsonNode answer, List<ObjectNode> messages) {
    if (messages.isEmpty()) return answer;
    ObjectNode out =
        answer.isObject()
            ? ((ObjectNode) answer).deepCopy()
            : NODES.objectNode().set("answer", answer);
    ArrayNode list = out.putArray(FIELD);
    messages.forEach(list::add);
    return out;
  }

  /**
   * The messages addressed to {@code self} in the latest outputs of {@code workflow}'s nodes,
   * oldest first.
   */
  public static List<JsonNode> inbox(WorkflowSpec workflow, NodeInput input, String self) {
    List<JsonNode> found = new ArrayList<>();
    for (NodeSpec n : workflow.nodes()) {
      JsonNode sent = input.get(n.id()).path(FIELD);
      for (JsonNode m : sent) if (self.equals(m.path("to").asText())) found.add(m);
    }
    found.sort(Comparator.comparingLong(m -> m.path("hop").asLong()));
    return found;
  }

  /** {@code user} followed by the inbox, or {@code user} when it is empty. */
  public static String withInbox(String user, List<JsonNode> inbox) {
    if (inbox.isEmpty()) return user;
    StringBuilder sb =
        new StringBuilder(user).append("\n\nMessages from other agents (oldest first):");
    for (JsonNode m : inbox) {
      sb.append("\n- from ")
          .append(m.path("from").asText())
          .append(": ")
          .append(m.path("text").asText());
    }
    return sb.toString();
  }
}
