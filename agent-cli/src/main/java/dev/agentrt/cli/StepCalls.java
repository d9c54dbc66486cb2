package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.manifest.Redactor;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CallRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The LLM and tool calls of a run's steps as {@code show} prints them, folded by {@link
 * CallRecords} (as the inspector does): other records (traces, messages, router rankings) are left
 * out.
 */
final class StepCalls {
  /** The longest argument or result summary printed on a line, in characters. */
  static final int SUMMARY_MAX = 80;

  private StepCalls() {}

  /** The LLM and tool calls of each step, by step key. */
  static Map<String, List<CallRecords.Call>> of(List<CallRecord> records) {
    Map<String, List<CallRecords.Call>> out = new LinkedHashMap<>();
    CallRecords.byStep(records)
        .forEach(
            (step, recorded) -> {
              List<CallRecords.Call> calls = new ArrayList<>();
              for (CallRecords.Call c : CallRecords.fold(recorded)) {
                CallKind k = c.record().kind();
                if (k == CallKind.LLM || k == CallKind.TOOL || k == CallKind.INTENT) calls.add(c);
              }
              if (!calls.isEmpty()) out.put(step, calls);
            });
    return out;
  }

  /**
   * One call as JSON. Every call: index, kind ({@code llm}, {@code tool}, or {@code intent} for an
   * effectful tool call that never completed), name, started, durationMs, inputTokens,
   * outputTokens, costUsd. An LLM call adds toolCalls (the calls the model requested: name,
   * arguments); a tool call adds arguments, result (null for an intent), effect and idempotencyKey
   * (null for a call without effects).
   */
  static ObjectNode json(CallRecords.Call call, Redactor redactor) {
    CallRecord c = call.record();
    ObjectNode o = RunReport.MAPPER.createObjectNode();
    o.put("index", c.index());
    o.put("kind", c.kind().wireName());
    o.put("name", c.name());
    o.put("started", c.startedAt().toString());
    o.put("durationMs", c.duration().toMillis());
    BudgetUsage u = c.usage();
    o.put("inputTokens", u.inputTokens());
    o.put("outputTokens", u.outputTokens());
    o.put("costUsd", u.costUsd());
    if (c.kind() == CallKind.LLM) {
      ArrayNode requested = o.putArray("toolCalls");
      for (JsonNode t : c.response().path("tool_calls")) {
        ObjectNode r = requested.addObject();
        r.put("name", t.path("name").asText());
        r.set("arguments", redactor.redact(t.path("arguments")));
      }
    } else {
      o.set("arguments", redactor.redact(c.request().path("arguments")));
      o.set("result", call.pending() ? RunReport.MAPPER.nullNode() : redactor.redact(c.response()));
      o.put("effect", call.effect().orElse(null));
      o.put("idempotencyKey", call.idempotencyKey().orElse(null));
    }
    return o;
  }

  /**
   * One call on one line: {@code llm default: 120 in, 30 out, $0.0012; requested fs.read} or {@code
   * tool fs.write {"path":"a.txt"} -> {"ok":true}; effect non_idempotent, key k}.
   */
  static String line(CallRecords.Call call, Redactor redactor) {
    CallRecord c = call.record();
    StringBuilder sb = new StringBuilder();
    sb.append('#').append(c.index()).append(' ');
    if (c.kind() == CallKind.LLM) {
      BudgetUsage u = c.usage();
      sb.append("llm ")
          .append(c.name())
          .append(": ")
          .append(u.inputTokens())
          .append(" in, ")
          .append(u.outputTokens())
          .append(" out, ")
          .append(String.format(Locale.ROOT, "$%.4f", u.costUsd()));
      List<String> requested = new ArrayList<>();
      for (JsonNode t : c.response().path("tool_calls")) requested.add(t.path("name").asText());
      sb.append(requested.isEmpty() ? "; answered" : "; requested " + String.join(", ", requested));
      return sb.toString();
    }
    sb.append(call.pending() ? "tool (not completed) " : "tool ")
        .append(c.name())
        .append(' ')
        .append(summary(redactor.redact(c.request().path("arguments"))));
    if (!call.pending()) sb.append(" -> ").append(summary(redactor.redact(c.response())));
    call.effect().ifPresent(e -> sb.append("; effect ").append(e));
    call.idempotencyKey().ifPresent(k -> sb.append(", key ").append(k));
    return sb.toString();
  }

  /** Compact JSON, cut at {@link #SUMMARY_MAX} characters with {@code ...}. */
  static String summary(JsonNode value) {
    String text = value.isMissingNode() ? "-" : RunReport.write(value, false);
    text = text.replace('\n', ' ').replace('\r', ' ');
    return text.length() <= SUMMARY_MAX ? text : text.substring(0, SUMMARY_MAX - 3) + "...";
  }
}
