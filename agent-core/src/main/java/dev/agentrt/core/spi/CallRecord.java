package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.Experimental;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A record made inside a step: one LLM call or tool call, or the intent of an effectful call.
 *
 * @param runId the run
 * @param stepKey the step the call was made in
 * @param index the call's position within the step, from 0
 * @param kind what was recorded: an LLM call, a tool call, the intent of an effectful call, ...
 * @param name the model or tool name
 * @param requestHash SHA-256 of the canonical request, to detect a changed request on resume
 * @param request the request (arguments, messages) as JSON
 * @param response the response as JSON
 * @param usage what the call spent
 * @param startedAt when the call started
 * @param duration how long it took
 * @since 0.1
 */
@Experimental
public record CallRecord(
    String runId,
    String stepKey,
    int index,
    CallKind kind,
    String name,
    String requestHash,
    JsonNode request,
    JsonNode response,
    BudgetUsage usage,
    Instant startedAt,
    Duration duration) {

  public CallRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(stepKey, "stepKey");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requestHash, "requestHash");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
  }
}
