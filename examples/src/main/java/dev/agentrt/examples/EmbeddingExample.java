package dev.agentrt.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.Workflow;
import dev.agentrt.core.Workflow.Node;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Embedding agentrt in an application: Java functions as workflow nodes, a YAML workflow that
 * routes on their output, and a run. This is the example shown in README.md and docs/; the
 * examples' tests run it.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /** Triages a support ticket with the {@code triage} workflow under {@code configDir}. */
  public static RunResult triage(Path configDir, String ticket) {
    try (AgentRuntime rt =
        AgentRuntime.builder().configDir(configDir).function("classify", CLASSIFY).build()) {
      return rt.run("triage", Map.of("text", ticket));
    }
  }

  /** The {@code classify} function: a ticket is urgent if something is down or full. */
  static final NodeFunction CLASSIFY =
      (input, ctx) -> {
        String text = input.get("input.text").asText().toLowerCase(Locale.ROOT);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("severity", text.contains("down") || text.contains("full") ? "urgent" : "normal");
        return out;
      };

  /** The {@code triage} workflow of {@code triage-agent/workflows/triage.yml}, built in Java. */
  public static final Workflow TRIAGE =
      Workflow.builder("triage")
          .description("Classify a ticket with a Java function, then route it by severity.")
          .node(Node.start("start"))
          .node(Node.function("classify", "classify").decision("severity"))
          .node(
              Node.transform("page", Map.of("action", "page-on-call", "ticket", "{{input.text}}")))
          .node(
              Node.transform("queue", Map.of("action", "add-to-queue", "ticket", "{{input.text}}")))
          .node(Node.exit("paged").output("{{page}}"))
          .node(Node.exit("queued").output("{{queue}}"))
          .edge("start", "classify")
          .edge("classify", "page", "urgent")
          .edge("classify", "queue")
          .edge("page", "paged")
          .edge("queue", "queued")
          .build();

  /** Triages a support ticket with {@link #TRIAGE}: no configuration directory at all. */
  public static RunResult triageInCode(String ticket) {
    try (AgentRuntime rt =
        AgentRuntime.builder().workflow(TRIAGE).function("classify", CLASSIFY).build()) {
      return rt.run("triage", Map.of("text", ticket));
    }
  }

  public static void main(String[] args) {
    RunResult r =
        triage(
            Path.of(args.length > 0 ? args[0] : "examples/src/main/resources/triage-agent"),
            args.length > 1 ? args[1] : "Disk full on db-1");
    JsonNode output = r.output();
    System.out.println(r.status() + " " + output);
  }
}
