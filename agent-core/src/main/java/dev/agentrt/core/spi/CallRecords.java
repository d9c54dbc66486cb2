package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.Experimental;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A step's {@link CallRecord}s as a person reads them: one entry per call, in call order, with the
 * intent recorded before an effectful tool call folded into that call (its effect and idempotency
 * key). An intent whose call never completed (the process stopped in between) stays an entry of its
 * own. What the inspector and {@code agentrt show --calls} list.
 *
 * <pre>{@code
 * for (CallRecords.Call c : CallRecords.fold(store.calls(runId, stepKey))) {
 *   System.out.println(c.record().name() + " " + c.effect().orElse("-"));
 * }
 * }</pre>
 *
 * @since 0.1
 */
@Experimental
public final class CallRecords {
  private CallRecords() {}

  /**
   * A run's call records grouped by step key, in the order of their first record; the records of
   * each step in their order.
   */
  public static Map<String, List<CallRecord>> byStep(Collection<CallRecord> records) {
    Objects.requireNonNull(records, "records");
    Map<String, List<CallRecord>> out = new LinkedHashMap<>();
    for (CallRecord c : records) out.computeIfAbsent(c.stepKey(), k -> new ArrayList<>()).add(c);
    return out;
  }

  /**
   * The calls of one step's records, ordered by {@link CallRecord#index()}. An intent and its call
   * share the call's index and name, but other records may come between them (a step's records are
   * in append order), so they are matched by index and name: a {@link CallKind#TOOL} record gets
   * the intent of its index and name; an intent whose tool call was recorded is not listed on its
   * own. Records of other kinds are listed as they are.
   *
   * @param records the records of one step (a run's records grouped with {@link #byStep})
   */
  public static List<Call> fold(Collection<CallRecord> records) {
    Objects.requireNonNull(records, "records");
    Map<Integer, CallRecord> intents = new HashMap<>();
    Set<Integer> completed = new HashSet<>();
    for (CallRecord c : records) {
      if (c.kind() == CallKind.INTENT) intents.put(c.index(), c);
      else if (c.kind() == CallKind.TOOL) completed.add(c.index());
    }
    List<CallRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingInt(CallRecord::index));
    List<Call> out = new ArrayList<>();
    for (CallRecord c : sorted) {
      if (c.kind() == CallKind.INTENT && completed.contains(c.index())) continue; // folded
      CallRecord intent =
          c.kind() == CallKind.TOOL || c.kind() == CallKind.INTENT ? intents.get(c.index()) : null;
      if (intent != null && !intent.name().equals(c.name())) intent = null;
      out.add(new Call(c, intent));
    }
    return out;
  }

  /**
   * One call of a step.
   *
   * @param record the call's record: an LLM call, a tool call, an intent whose call never
   *     completed, or another kind of record
   * @param intent the intent recorded before this effectful tool call (the record itself for an
   *     intent whose call never completed), or null for a call without effects
   * @since 0.1
   */
  @Experimental
  public record Call(CallRecord record, @Nullable CallRecord intent) {
    public Call {
      Objects.requireNonNull(record, "record");
    }

    /** Whether this is an effectful tool call that was started but never completed. */
    public boolean pending() {
      return record.kind() == CallKind.INTENT;
    }

    /**
     * The declared effect of an effectful tool call: {@code idempotent}, {@code non_idempotent}.
     */
    public Optional<String> effect() {
      return intentText("effect");
    }

    /** The idempotency key of an effectful tool call. */
    public Optional<String> idempotencyKey() {
      return intentText("idempotency_key");
    }

    private Optional<String> intentText(String field) {
      if (intent == null) return Optional.empty();
      JsonNode v = intent.response().path(field);
      return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
  }
}
