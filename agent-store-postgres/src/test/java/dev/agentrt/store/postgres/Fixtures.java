package dev.agentrt.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Records shared by the store's tests. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

  private Fixtures() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static RunRecord run(String runId) {
    return run(runId, "wf", T0);
  }

  static RunRecord run(String runId, String workflowId, Instant createdAt) {
    return new RunRecord(
        runId,
        workflowId,
        "hash-" + workflowId,
        "0.1.0-test",
        json("{\"request\":\"hi\"}"),
        RunStatus.RUNNING,
        null,
        null,
        null,
        NullNode.getInstance(),
        createdAt,
        createdAt);
  }

  /** A queued run of {@code priority}. */
  static RunRecord queued(String runId, int priority) {
    return new RunRecord(
        runId,
        "wf",
        "hash-wf",
        "0.1.0-test",
        json("{\"n\":1}"),
        RunStatus.QUEUED,
        null,
        null,
        null,
        NullNode.getInstance(),
        T0,
        T0,
        Map.of(),
        null,
        null,
        priority,
        null,
        null);
  }

  static StepRecord step(String runId, String key, JsonNode output) {
    return new StepRecord(
        runId,
        key,
        key.replaceAll("#.*", ""),
        1,
        StepStatus.COMPLETED,
        output,
        null,
        T0,
        Duration.ofMillis(3),
        new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ZERO));
  }

  static CallRecord call(String runId, String key, int index, String name) {
    return new CallRecord(
        runId,
        key,
        index,
        CallKind.TOOL,
        name,
        "sha-" + index,
        json("{\"arg\":" + index + "}"),
        json("{\"ok\":true}"),
        new BudgetUsage(0, 0, 0, 0, 0, 1, Duration.ZERO),
        T0,
        Duration.ofMillis(1));
  }
}
