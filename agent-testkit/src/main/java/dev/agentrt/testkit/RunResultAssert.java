package dev.agentrt.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.testkit.internal.JsonValues;
import dev.agentrt.testkit.internal.RunCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ObjectAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a {@link RunResult}: status and reason, step keys, output at a path, usage
 * and cost bounds, and the tool calls the run made. Obtain one with {@link
 * AgentAssertions#assertThat(RunResult)}.
 *
 * <p>Tool-call assertions read the run's recorded calls: from the runtime that ran it when that is
 * a test runtime ({@link AgentTest} or {@link AgentTestRuntime}), otherwise from {@link
 * #withCalls(List)}.
 *
 * <p>Every failure message says what the run did instead, and a run that failed says why.
 *
 * @since 0.1
 */
public final class RunResultAssert extends AbstractAssert<RunResultAssert, RunResult> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private @Nullable List<CallRecord> calls;

  RunResultAssert(RunResult actual) {
    super(actual, RunResultAssert.class);
  }

  /** Asserts the run completed (reached an exit node). */
  public RunResultAssert isCompleted() {
    return hasStatus(RunStatus.COMPLETED);
  }

  /** Asserts the run is waiting for input (an interrupt or an {@code ask}). */
  public RunResultAssert isWaiting() {
    return hasStatus(RunStatus.WAITING);
  }

  /** Asserts the run's status. */
  public RunResultAssert hasStatus(RunStatus status) {
    isNotNull();
    if (actual.status() != status) {
      failWithMessage(
          "expected run %s to be %s but it is %s%s",
          actual.runId(), status, actual.status(), why());
    }
    return this;
  }

  /** Asserts why the run did not complete. */
  public RunResultAssert hasReason(FailureReason reason) {
    isNotNull();
    if (actual.reason() != reason) {
      failWithMessage(
          "expected run %s to stop with reason %s but its reason is %s%s",
          actual.runId(), reason, actual.reason(), why());
    }
    return this;
  }

  /** Asserts the run's step keys are exactly these, in this order. */
  public RunResultAssert hasStepKeys(String... keys) {
    isNotNull();
    List<String> actualKeys = stepKeys();
    if (!actualKeys.equals(Arrays.asList(keys))) {
      failWithMessage(
          "expected the steps%n  %s%nbut the run took%n  %s%s",
          String.join(", ", keys), String.join(", ", actualKeys), why());
    }
    return this;
  }

  /** Asserts the run took these steps in this order, other steps allowed between them. */
  public RunResultAssert hasStepKeysInOrder(String... keys) {
    isNotNull();
    List<String> actualKeys = stepKeys();
    int at = 0;
    for (String k : keys) {
      int found = actualKeys.subList(at, actualKeys.size()).indexOf(k);
      if (found < 0) {
        failWithMessage(
            "expected the steps %s in this order but step %s is %s; the run took%n  %s%s",
            String.join(", ", keys),
            k,
            actualKeys.contains(k) ? "out of order" : "missing",
            String.join(", ", actualKeys),
            why());
      }
      at += found + 1;
    }
    return this;
  }

  /**
   * Asserts the output has {@code expected} at {@code path} (dot-path, as {@link
   * RunResult#outputAt}); {@code expected} is compared as JSON, so {@code 3}, {@code "text"}, a
   * {@code Map} or a {@code JsonNode} all work.
   */
  public RunResultAssert hasOutputAt(String path, @Nullable Object expected) {
    isNotNull();
    JsonNode value = actual.outputAt(path);
    JsonNode want = expected instanceof JsonNode j ? j : JSON.valueToTree(expected);
    if (!JsonValues.same(value, want)) {
      failWithMessage(
          "expected the output at '%s' to be%n  %s%nbut it is%n  %s%s",
          path, want, describe(value), why());
    }
    return this;
  }

  /** Asserts the output at {@code path} is a text containing {@code text}. */
  public RunResultAssert hasOutputAtContaining(String path, String text) {
    isNotNull();
    JsonNode value = actual.outputAt(path);
    if (!value.isTextual() || !value.asText().contains(text)) {
      failWithMessage(
          "expected the output at '%s' to contain%n  %s%nbut it is%n  %s%s",
          path, text, describe(value), why());
    }
    return this;
  }

  /** Asserts the output at {@code path} is a text in which {@code regex} finds a match. */
  public RunResultAssert hasOutputAtMatching(String path, String regex) {
    isNotNull();
    JsonNode value = actual.outputAt(path);
    if (!value.isTextual() || !Pattern.compile(regex).matcher(value.asText()).find()) {
      failWithMessage(
          "expected the output at '%s' to match%n  %s%nbut it is%n  %s%s",
          path, regex, describe(value), why());
    }
    return this;
  }

  /** AssertJ assertions on the output at {@code path} (a {@code MissingNode} if absent). */
  public ObjectAssert<JsonNode> outputAt(String path) {
    isNotNull();
    return Assertions.assertThat((Object) actual.outputAt(path))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(JsonNode.class))
        .as("output at '%s'", path);
  }

  /** Asserts the run made at most this many LLM calls. */
  public RunResultAssert hasLlmCallsAtMost(long max) {
    isNotNull();
    if (actual.usage().llmCalls() > max) {
      failWithMessage(
          "expected at most %s LLM calls but the run made %s", max, actual.usage().llmCalls());
    }
    return this;
  }

  /** Asserts the run made exactly this many LLM calls. */
  public RunResultAssert hasLlmCalls(long count) {
    isNotNull();
    if (actual.usage().llmCalls() != count) {
      failWithMessage(
          "expected %s LLM calls but the run made %s", count, actual.usage().llmCalls());
    }
    return this;
  }

  /** Asserts the run used at most this many tokens (input and output). */
  public RunResultAssert hasTokensAtMost(long max) {
    isNotNull();
    long tokens = actual.usage().inputTokens() + actual.usage().outputTokens();
    if (tokens > max) {
      failWithMessage(
          "expected at most %s tokens but the run used %s (%s in, %s out)",
          max, tokens, actual.usage().inputTokens(), actual.usage().outputTokens());
    }
    return this;
  }

  /** Asserts the run cost at most {@code usd} US dollars (from the models' {@code pricing:}). */
  public RunResultAssert hasCostAtMost(double usd) {
    isNotNull();
    if (actual.usage().costUsd() > usd) {
      failWithMessage(
          "expected a cost of at most $%s but the run cost $%s", usd, actual.usage().costUsd());
    }
    return this;
  }

  /**
   * Uses these recorded calls ({@code store.calls(runId)}) for the tool-call assertions, for a run
   * of a runtime that is not a test runtime.
   */
  public RunResultAssert withCalls(List<CallRecord> calls) {
    this.calls = List.copyOf(calls);
    return this;
  }

  /** Asserts the run called these tools, exactly and in this order (by step, then call index). */
  public RunResultAssert madeToolCalls(String... tools) {
    isNotNull();
    List<String> names = toolNames();
    if (!names.equals(Arrays.asList(tools))) {
      failWithMessage(
          "expected the tool calls%n  %s%nbut the run made%n  %s",
          String.join(", ", tools), names.isEmpty() ? "(none)" : String.join(", ", names));
    }
    return this;
  }

  /** Asserts the run called {@code tool} at least once. */
  public RunResultAssert madeToolCall(String tool) {
    isNotNull();
    List<String> names = toolNames();
    if (!names.contains(tool)) {
      failWithMessage(
          "expected a call of tool '%s' but the run made%n  %s",
          tool, names.isEmpty() ? "(none)" : String.join(", ", names));
    }
    return this;
  }

  /**
   * Asserts the run called {@code tool} with these arguments at least once; every field of {@code
   * arguments} must be in the call's arguments with an equal value (other fields are allowed).
   */
  public RunResultAssert madeToolCall(String tool, Object arguments) {
    isNotNull();
    JsonNode want = arguments instanceof JsonNode j ? j : JSON.valueToTree(arguments);
    List<String> seen = new ArrayList<>();
    for (CallRecord c : toolCalls()) {
      if (!c.name().equals(tool)) continue;
      JsonNode args = c.request().path("arguments");
      if (contains(args, want)) return this;
      seen.add(args.toString());
    }
    failWithMessage(
        "expected a call of tool '%s' with arguments%n  %s%nbut %s",
        tool,
        want,
        seen.isEmpty()
            ? "the run made no call of it (tools called: " + String.join(", ", toolNames()) + ")"
            : "its calls had%n  " + String.join("%n  ", seen));
    return this;
  }

  /** Asserts the run never called {@code tool}. */
  public RunResultAssert madeNoToolCall(String tool) {
    isNotNull();
    if (toolNames().contains(tool)) {
      failWithMessage("expected no call of tool '%s' but the run made one", tool);
    }
    return this;
  }

  /**
   * Asserts the run matches the baseline in {@code file} (written by {@code agentrt run --record},
   * or {@link RunBaseline#write}): the same status, step keys, step outputs and tool calls. The
   * failure lists every difference.
   */
  public RunResultAssert matchesBaseline(Path file) {
    isNotNull();
    RunBaseline expected = RunBaseline.read(file);
    List<String> diff = expected.diff(RunBaseline.of(actual, allCalls()));
    if (!diff.isEmpty()) {
      failWithMessage(
          "the run differs from the baseline %s:%n  %s", file, String.join("%n  ", diff));
    }
    return this;
  }

  private List<String> stepKeys() {
    List<String> keys = new ArrayList<>();
    for (StepResult s : actual.steps()) keys.add(s.key());
    return keys;
  }

  private List<String> toolNames() {
    List<String> names = new ArrayList<>();
    for (CallRecord c : toolCalls()) names.add(c.name());
    return names;
  }

  private List<CallRecord> toolCalls() {
    List<CallRecord> tools = new ArrayList<>();
    for (CallRecord c : allCalls()) if (c.kind() == CallKind.TOOL) tools.add(c);
    return tools;
  }

  private List<CallRecord> allCalls() {
    if (calls == null) {
      calls =
          RunCalls.calls(actual.runId())
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the calls of run "
                              + actual.runId()
                              + " are unknown: run it on a test runtime (@AgentTest,"
                              + " AgentTestRuntime), or pass them with"
                              + " withCalls(runtime.checkpointStore().calls(runId))"));
    }
    List<CallRecord> sorted = new ArrayList<>(Objects.requireNonNull(calls));
    List<String> order = stepKeys();
    sorted.sort(
        (a, b) -> {
          int sa = order.indexOf(a.stepKey());
          int sb = order.indexOf(b.stepKey());
          return sa != sb ? Integer.compare(sa, sb) : Integer.compare(a.index(), b.index());
        });
    return sorted;
  }

  private String why() {
    if (actual.status() == RunStatus.COMPLETED) return "";
    StringBuilder sb = new StringBuilder();
    if (actual.reason() != null) sb.append(" (").append(actual.reason());
    if (actual.stepKey() != null) sb.append(" at step ").append(actual.stepKey());
    if (actual.message() != null) sb.append(": ").append(actual.message());
    if (sb.length() > 0) sb.append(')');
    return sb.toString();
  }

  private static String describe(JsonNode value) {
    return value.isMissingNode() ? "(nothing: the output has no such path)" : value.toString();
  }

  /** Whether {@code actual} has every field of {@code want} (recursively for objects). */
  private static boolean contains(JsonNode actual, JsonNode want) {
    if (want.isObject() && actual.isObject()) {
      for (var e : want.properties()) {
        if (!contains(actual.path(e.getKey()), e.getValue())) return false;
      }
      return true;
    }
    return JsonValues.same(actual, want);
  }
}
