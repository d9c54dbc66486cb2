package dev.agentrt.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.agentrt.core.Experimental;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a run's recorded LLM calls ({@code kind: llm} {@link CallRecord}s, e.g. from {@code
 * CheckpointStore.calls(runId)}) into a script for the {@code scripted} provider, so the run can be
 * replayed offline: one turn per call, in order, with the assistant's text or tool calls, the
 * call's token usage, and {@code expect_tool_results} from the tool results the next request sent.
 *
 * <p>A script replays one conversation (every agent step starts again at turn 1), so the calls to
 * the model must come from one agent step; otherwise recording fails naming the steps.
 *
 * @since 0.1
 */
@Experimental
public final class ScriptRecorder {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Fields of built-in tools' results that differ from machine to machine for the same call: which
   * search engine grep used (ripgrep where it is installed, else Java) and its notes on that, the
   * test runner's console output (timings). A recorded script leaves them out of {@code
   * expect_tool_results}, so it replays anywhere: the scripted model compares only the fields a
   * script gives.
   */
  static final Map<String, Set<String>> MACHINE_DEPENDENT =
      Map.of("grep", Set.of("engine", "notes"), "tests.run", Set.of("output_tail"));

  private ScriptRecorder() {}

  /**
   * A tool result as the script expects it: a JSON object without its machine-dependent fields,
   * other text as it is.
   */
  static JsonNode portable(String tool, String text) {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return NODES.textNode(text);
    }
    if (parsed == null || !parsed.isObject()) return NODES.textNode(text);
    ObjectNode copy = ((ObjectNode) parsed).deepCopy();
    copy.remove(MACHINE_DEPENDENT.getOrDefault(tool, Set.of()));
    return copy;
  }

  /**
   * The models (keys in {@code models:}) the LLM calls among {@code calls} used, in order of first
   * use.
   */
  public static List<String> models(List<CallRecord> calls) {
    Set<String> keys = new LinkedHashSet<>();
    for (CallRecord c : calls) {
      if (c.kind() == CallKind.LLM) keys.add(c.name());
    }
    return List.copyOf(keys);
  }

  /**
   * The script of the run's only model.
   *
   * @throws IllegalArgumentException if the calls include no LLM call, or calls to several models
   *     (naming them), or if {@link #toYaml(List, String)} fails
   */
  public static String toYaml(List<CallRecord> calls) {
    List<String> models = models(calls);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("the run made no LLM call: there is nothing to record");
    }
    if (models.size() > 1) {
      throw new IllegalArgumentException(
          "the run used "
              + models.size()
              + " models ("
              + quoted(models)
              + "); a script replays one model: record one with ScriptRecorder.toYaml(calls, modelKey)");
    }
    return toYaml(calls, models.get(0));
  }

  /**
   * The script of {@code modelKey}'s calls among {@code calls} (other records are ignored).
   *
   * @throws IllegalArgumentException if the model was not called, was called from several steps, or
   *     a recorded call cannot be expressed as a turn (naming the step and call)
   */
  public static String toYaml(List<CallRecord> calls, String modelKey) {
    Objects.requireNonNull(modelKey, "modelKey");
    List<CallRecord> mine = new ArrayList<>();
    for (CallRecord c : calls) {
      if (c.kind() == CallKind.LLM && modelKey.equals(c.name())) mine.add(c);
    }
    if (mine.isEmpty()) {
      throw new IllegalArgumentException(
          "the run made no LLM call to model '" + modelKey + "': there is nothing to record");
    }
    Set<String> steps = new LinkedHashSet<>();
    for (CallRecord c : mine) steps.add(c.stepKey());
    if (steps.size() > 1) {
      throw new IllegalArgumentException(
          "model '"
              + modelKey
              + "' was called in "
              + steps.size()
              + " agent steps ("
              + String.join(", ", steps)
              + "); a script replays one conversation (every step starts again at turn 1)");
    }
    ArrayNode turns = NODES.arrayNode();
    for (int n = 0; n < mine.size(); n++) {
      CallRecord c = mine.get(n);
      String where = "model '" + modelKey + "': step " + c.stepKey() + ": call " + c.index() + ": ";
      JsonNode messages = c.request().path("messages");
      int assistants = 0;
      int lastAssistant = -1;
      for (int i = 0; i < messages.size(); i++) {
        if ("assistant".equals(messages.get(i).path("role").asText())) {
          assistants++;
          lastAssistant = i;
        }
      }
      if (assistants != n) {
        throw new IllegalArgumentException(
            where
                + "does not continue the conversation (it sends "
                + assistants
                + " assistant turns, the script has "
                + n
                + "); a script replays one conversation");
      }
      ObjectNode turn = turns.addObject();
      if (n > 0 && mine.get(n - 1).response().path("tool_calls").size() > 0) {
        ArrayNode expected = turn.putArray("expect_tool_results");
        for (int i = lastAssistant + 1; i < messages.size(); i++) {
          JsonNode m = messages.get(i);
          if ("tool".equals(m.path("role").asText())) {
            String tool = m.path("name").asText();
            expected
                .addObject()
                .put("name", tool)
                .set("content", portable(tool, m.path("text").asText()));
          }
        }
      }
      JsonNode response = c.response();
      if (response.hasNonNull("text")) turn.put("text", response.get("text").asText());
      if (response.path("tool_calls").size() > 0) {
        ArrayNode out = turn.putArray("tool_calls");
        for (JsonNode call : response.path("tool_calls")) {
          String name = call.path("name").asText();
          JsonNode args;
          try {
            String raw = call.path("arguments").asText();
            args = raw.isBlank() ? NODES.objectNode() : JSON.readTree(raw);
          } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                where
                    + "tool call '"
                    + name
                    + "': the arguments are not JSON: "
                    + e.getOriginalMessage(),
                e);
          }
          if (!args.isObject()) {
            throw new IllegalArgumentException(
                where + "tool call '" + name + "': the arguments are not a JSON object: " + args);
          }
          out.addObject().put("name", name).set("arguments", args);
        }
      }
      if (!turn.has("text") && !turn.has("tool_calls")) turn.put("text", "");
      JsonNode usage = response.path("usage");
      turn.putObject("usage")
          .put("input_tokens", usage.path("input_tokens").asLong(c.usage().inputTokens()))
          .put("output_tokens", usage.path("output_tokens").asLong(c.usage().outputTokens()));
    }
    ObjectNode root = NODES.objectNode();
    root.set("turns", turns);
    try {
      return "# recorded by agentrt from run "
          + mine.get(0).runId()
          + ", step "
          + mine.get(0).stepKey()
          + ", model '"
          + modelKey
          + "'\n# replay: models: {"
          + modelKey
          + ": {provider: scripted, script: <this file>}}\n"
          + YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the script", e);
    }
  }

  private static String quoted(List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (sb.length() > 0) sb.append(", ");
      sb.append('\'').append(k).append('\'');
    }
    return sb.toString();
  }
}
