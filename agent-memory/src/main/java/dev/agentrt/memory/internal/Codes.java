package dev.agentrt.memory.internal;

import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The small integers that stand for enum values in the database (schema 4): a status costs one byte
 * of a row instead of its name. A code is a position in a list here plus one, and the lists are
 * append-only: a new constant gets the next code, and no code is ever reused or moved (the
 * constants' declaration order is irrelevant). A code this version does not know is reported as a
 * corrupt field by the codec ("a newer agentrt may have written it").
 */
final class Codes {
  private Codes() {}

  /** {@link RunStatus} codes 1..6. */
  static final Code<RunStatus> RUN_STATUS =
      new Code<>(
          RunStatus.class,
          List.of(
              RunStatus.RUNNING,
              RunStatus.WAITING,
              RunStatus.COMPLETED,
              RunStatus.FAILED,
              RunStatus.CANCELLED,
              RunStatus.QUEUED));

  /** {@link FailureReason} codes 1..9. */
  static final Code<FailureReason> REASON =
      new Code<>(
          FailureReason.class,
          List.of(
              FailureReason.NODE_FAILED,
              FailureReason.BUDGET_EXCEEDED,
              FailureReason.TIMEOUT,
              FailureReason.CANCELLED,
              FailureReason.INVALID_OUTPUT,
              FailureReason.INTERRUPTED,
              FailureReason.INDETERMINATE_EFFECT,
              FailureReason.OWNERSHIP_LOST,
              FailureReason.RELEASED));

  /** {@link StepStatus} codes 1..4. */
  static final Code<StepStatus> STEP_STATUS =
      new Code<>(
          StepStatus.class,
          List.of(
              StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.SUSPENDED, StepStatus.RESUMED));

  /** The terminal run statuses as an SQL list of codes: {@code (3, 4, 5)}. */
  static final String TERMINAL =
      "("
          + RUN_STATUS.of(RunStatus.COMPLETED)
          + ", "
          + RUN_STATUS.of(RunStatus.FAILED)
          + ", "
          + RUN_STATUS.of(RunStatus.CANCELLED)
          + ")";

  /** One enum's codes. */
  static final class Code<E extends Enum<E>> {
    private final Class<E> type;
    private final List<E> values;
    private final Map<E, Integer> codes;

    Code(Class<E> type, List<E> values) {
      this.type = type;
      this.values = values;
      this.codes =
          values.stream()
              .collect(Collectors.toMap(Function.identity(), v -> values.indexOf(v) + 1));
    }

    /** The code of {@code value}. */
    int of(E value) {
      Integer code = codes.get(value);
      if (code == null)
        throw new IllegalStateException(
            "no database code for " + type.getSimpleName() + "." + value);
      return code;
    }

    /** The value of {@code code}, or null if this version knows no such code. */
    @Nullable E value(int code) {
      return code >= 1 && code <= values.size() ? values.get(code - 1) : null;
    }

    /** Every constant of the enum has a code. */
    boolean complete() {
      return codes.size() == type.getEnumConstants().length;
    }

    /**
     * {@code CASE column WHEN 'NAME' THEN code ... END}: names to codes, in a migration; NULL stays
     * NULL, and a name this version does not know becomes 0, which reads back as a corrupt field.
     */
    String sqlFromName(String column) {
      StringBuilder sb = new StringBuilder("CASE ").append(column);
      for (E v : values) sb.append(" WHEN '").append(v.name()).append("' THEN ").append(of(v));
      return sb.append(" ELSE iif(").append(column).append(" IS NULL, NULL, 0) END").toString();
    }
  }
}
