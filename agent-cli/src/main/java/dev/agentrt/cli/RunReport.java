package dev.agentrt.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.spi.RunSummary;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/** Renders a {@link RunResult} for a machine ({@link #json}) or a person ({@link #text}). */
final class RunReport {
  /**
   * Writes values up to 1,100 levels deep: a store keeps values up to 1,000 levels (Jackson's
   * default), and the objects the CLI wraps them in (a result, a step of {@code show}) add a few,
   * so every stored value can be printed. Deeper values (from a run that stored nothing) are left
   * out by {@link #print}.
   */
  static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamWriteConstraints(
                  StreamWriteConstraints.builder().maxNestingDepth(1_100).build())
              .build());

  private RunReport() {}

  /**
   * Prints {@code r} as {@code run} does ({@link #json} or {@link #text}) and returns its exit
   * code, which says what happened to the run. Printing cannot fail once the run has happened: an
   * output that cannot be written as JSON (nested too deeply) is left out, saying why in the result
   * and on stderr, and the exit code stays the run's. A run this process lost to another owner is
   * also explained on stderr with {@code --json}.
   */
  static int print(CommandSpec spec, RunResult r, boolean json) {
    return print(spec, r, json, null);
  }

  /**
   * As {@link #print(CommandSpec, RunResult, boolean)}, with the configuration's warnings in the
   * JSON object ({@code warnings}) when {@code config} is given.
   */
  static int print(CommandSpec spec, RunResult r, boolean json, @Nullable ConfigOption config) {
    String shown;
    String unprintable = null;
    try {
      shown = json ? json(r, null, config) + "\n" : text(r, null);
    } catch (RuntimeException e) {
      unprintable = unprintable(e);
      shown = json ? json(r, unprintable, config) + "\n" : text(r, unprintable);
    }
    var out = spec.commandLine().getOut();
    out.print(shown);
    out.flush();
    var err = spec.commandLine().getErr();
    if (unprintable != null) {
      err.println(
          "agentrt: run '"
              + r.runId()
              + "' is "
              + r.status()
              + ", but its output cannot be printed: "
              + unprintable);
    }
    if (json && r.reason() == FailureReason.OWNERSHIP_LOST) err.println("agentrt: " + r.message());
    err.flush();
    return ExitCode.of(r);
  }

  /** Why a value cannot be written as JSON, for a person. */
  private static String unprintable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException jpe) return jpe.getOriginalMessage();
    }
    return e.toString();
  }

  /**
   * One JSON object: runId, workflow, status, reason, output, steps, durationMs; with {@code
   * unprintable}, the output is {@code null} and an {@code outputError} field after it says why.
   */
  static String json(RunResult r, @Nullable String unprintable) {
    return json(r, unprintable, null);
  }

  private static String json(
      RunResult r, @Nullable String unprintable, @Nullable ConfigOption config) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("runId", r.runId());
    root.put("workflow", r.workflowId());
    root.put("status", r.status().name());
    root.put("reason", r.reason() == null ? null : r.reason().name());
    if (unprintable == null) {
      root.set("output", r.output());
    } else {
      root.putNull("output");
      root.put("outputError", "the output cannot be printed: " + unprintable);
    }
    ArrayNode steps = root.putArray("steps");
    for (StepResult s : r.steps()) {
      steps
          .addObject()
          .put("key", s.key())
          .put("node", s.nodeId())
          .put("status", s.status().name())
          .put("attempts", s.attempts());
    }
    root.put("durationMs", r.duration().toMillis());
    if (config != null) config.putWarnings(root);
    return write(root, false);
  }

  /**
   * A summary for a person: status, each step with its duration, then the output (with {@code
   * unprintable}, why it cannot be printed).
   */
  static String text(RunResult r, @Nullable String unprintable) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.workflowId()).append(": ").append(r.status());
    if (r.reason() != null && r.reason().name().equals(r.status().name())) {
      // CANCELLED/CANCELLED says nothing new
    } else if (r.reason() != null) {
      sb.append(" (").append(r.reason()).append(')');
    }
    if (r.stepKey() != null) sb.append(" at step ").append(r.stepKey());
    sb.append(" in ")
        .append(millis(r.duration()))
        .append("  [run ")
        .append(r.runId())
        .append("]\n");
    if (r.message() != null) sb.append("  ").append(r.message()).append('\n');

    sb.append("\nSteps:\n");
    int width = r.steps().stream().mapToInt(s -> s.key().length()).max().orElse(0);
    for (StepResult s : r.steps()) {
      sb.append("  ")
          .append(pad(s.key(), width))
          .append("  ")
          .append(pad(s.status().name(), 9))
          .append(' ')
          .append(String.format(Locale.ROOT, "%9s", millis(s.duration())));
      if (s.attempts() > 1) sb.append("  (").append(s.attempts()).append(" attempts)");
      sb.append('\n');
      if (s.error() != null)
        sb.append("  ").append(" ".repeat(width)).append("  ").append(s.error()).append('\n');
    }
    if (r.steps().isEmpty()) sb.append("  (none)\n");

    sb.append("\nOutput:");
    if (unprintable != null) sb.append(" (cannot be printed: ").append(unprintable).append(")\n");
    else
      sb.append(
          r.output().isNull() && !r.isCompleted()
              ? " (none)\n"
              : "\n" + write(r.output(), true) + "\n");
    return sb.toString();
  }

  /**
   * A recorded run without its steps: runId, workflow, status, reason, created, updated (ISO-8601).
   */
  static ObjectNode summary(RunSummary r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("runId", r.runId());
    o.put("workflow", r.workflowId());
    o.put("status", r.status().name());
    o.put("reason", r.reason() == null ? null : r.reason().name());
    o.put("created", r.createdAt().toString());
    o.put("updated", r.updatedAt().toString());
    return o;
  }

  /** An instant for a person: UTC, to the second. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Left-aligned columns two spaces apart; the first row is the header. Trailing blanks are
   * trimmed.
   */
  static String table(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        if (i > 0) line.append("  ");
        line.append(i == row.length - 1 ? row[i] : pad(row[i], width[i]));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  static String millis(Duration d) {
    long micros = d.toNanos() / 1_000;
    if (micros < 10_000) return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    if (micros < 10_000_000) return d.toMillis() + " ms";
    return String.format(Locale.ROOT, "%.1f s", micros / 1_000_000.0);
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  static String write(Object value, boolean pretty) {
    try {
      return pretty
          ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value)
          : MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
