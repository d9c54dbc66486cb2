package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.manifest.Redactor;
import dev.agentrt.core.spi.CallRecords;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a recorded run and its step log.",
      "The run's status, input, output and usage (summed over its steps), and every step in the order it was "
          + "written."
    })
final class ShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "RUN", description = "The run's id (see 'agentrt runs').")
  String runId;

  @Option(
      names = "--json",
      description = "Print the run as one JSON object (with each step's calls).")
  boolean json;

  @Option(
      names = "--calls",
      description =
          "List each step's LLM calls (model, tokens, cost, tool calls requested) and tool calls"
              + " (arguments, result, effect, idempotency key).")
  boolean calls;

  @Override
  public Integer call() {
    try (AgentRuntime rt = config.openForReading()) {
      config.printWarnings(spec.commandLine().getErr());
      RunRecord run = Runs.find(rt, runId);
      List<StepRecord> steps = rt.checkpointStore().steps(runId);
      BudgetUsage usage = BudgetUsage.ZERO;
      for (StepRecord s : steps) usage = usage.plusStep(s.usage());
      Map<String, List<CallRecords.Call>> byStep =
          json || calls ? StepCalls.of(rt.checkpointStore().calls(runId)) : Map.of();
      Redactor redactor = rt.manifests().redactor();
      var out = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = tree(run, steps, usage);
        Map<String, Integer> last = lastEntries(steps);
        int i = 0;
        for (JsonNode step : root.path("steps")) {
          ArrayNode array = ((ObjectNode) step).putArray("calls");
          String key = step.path("key").asText();
          if (Integer.valueOf(i++).equals(last.get(key))) {
            for (CallRecords.Call c : byStep.getOrDefault(key, List.of()))
              array.add(StepCalls.json(c, redactor));
          }
        }
        config.putWarnings(root);
        out.print(RunReport.write(root, false) + "\n");
      } else {
        out.print(text(run, steps, usage, calls ? byStep : null, redactor));
      }
      out.flush();
      return ExitCode.COMPLETED;
    }
  }

  /**
   * One object: runId, workflow, status, reason, (parentRunId, forkedFromStep of a forked run),
   * stepKey, message, created, updated, input, output, usage, steps (key, node, status, attempts,
   * started, durationMs, error, output).
   */
  static String json(RunRecord run, List<StepRecord> steps, BudgetUsage usage) {
    return RunReport.write(tree(run, steps, usage), false);
  }

  /**
   * The index of each step key's last entry in the log: a step's calls are listed there once, not
   * under each entry of a step that waited and was resumed.
   */
  private static Map<String, Integer> lastEntries(List<StepRecord> steps) {
    Map<String, Integer> last = new java.util.HashMap<>();
    for (int i = 0; i < steps.size(); i++) last.put(steps.get(i).stepKey(), i);
    return last;
  }

  /** The usage fields of {@code show} and {@code runs}: hops, tokens, cost, LLM and tool calls. */
  static void usage(ObjectNode u, BudgetUsage usage) {
    u.put("hops", usage.hops());
    u.put("inputTokens", usage.inputTokens());
    u.put("outputTokens", usage.outputTokens());
    u.put("costUsd", usage.costUsd());
    u.put("llmCalls", usage.llmCalls());
    u.put("toolCalls", usage.toolCalls());
  }

  private static ObjectNode tree(RunRecord run, List<StepRecord> steps, BudgetUsage usage) {
    RunSummary summary = RunSummary.of(run);
    ObjectNode root = RunReport.summary(summary);
    Runs.putLineage(root, summary);
    root.put("stepKey", run.stepKey());
    root.put("message", run.message());
    root.set("input", run.input());
    root.set("output", run.output());
    usage(root.putObject("usage"), usage);
    ArrayNode array = root.putArray("steps");
    for (StepRecord s : steps) {
      ObjectNode o = array.addObject();
      o.put("key", s.stepKey());
      o.put("node", s.nodeId());
      o.put("status", s.status().name());
      o.put("attempts", s.attempts());
      o.put("started", s.startedAt().toString());
      o.put("durationMs", s.duration().toMillis());
      o.put("error", s.error());
      o.set("output", s.output());
    }
    return root;
  }

  /**
   * For a person: a header, input, the step log as a table (errors below their step), usage and
   * output.
   */
  static String text(RunRecord run, List<StepRecord> steps, BudgetUsage usage) {
    return text(run, steps, usage, null, Redactor.none());
  }

  /** As {@link #text(RunRecord, List, BudgetUsage)}, each step's calls below it when given. */
  static String text(
      RunRecord run,
      List<StepRecord> steps,
      BudgetUsage usage,
      @Nullable Map<String, List<CallRecords.Call>> calls,
      Redactor redactor) {
    StringBuilder sb = new StringBuilder();
    sb.append("Run ")
        .append(run.runId())
        .append(" of workflow ")
        .append(run.workflowId())
        .append('\n');
    if (run.parentRunId() != null) {
      sb.append("  forked from ").append(run.parentRunId());
      if (run.forkedFromStep() != null) sb.append(" at ").append(run.forkedFromStep());
      sb.append('\n');
    }
    sb.append("  status:   ").append(run.status());
    if (run.reason() != null && !run.reason().name().equals(run.status().name()))
      sb.append(" (").append(run.reason()).append(')');
    if (run.stepKey() != null) sb.append(" at step ").append(run.stepKey());
    sb.append('\n');
    if (run.message() != null) sb.append("  message:  ").append(run.message()).append('\n');
    sb.append("  created:  ").append(RunReport.time(run.createdAt())).append('\n');
    sb.append("  updated:  ").append(RunReport.time(run.updatedAt())).append('\n');
    sb.append("  usage:    ")
        .append(usage.hops())
        .append(usage.hops() == 1 ? " hop, " : " hops, ")
        .append(usage.totalTokens())
        .append(" tokens (")
        .append(usage.inputTokens())
        .append(" in, ")
        .append(usage.outputTokens())
        .append(" out), ")
        .append(String.format(Locale.ROOT, "$%.4f", usage.costUsd()))
        .append('\n');

    sb.append("\nInput:\n").append(RunReport.write(run.input(), true)).append('\n');

    sb.append("\nSteps:\n");
    if (steps.isEmpty()) {
      sb.append("  (none)\n");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"KEY", "NODE", "STATUS", "ATTEMPTS", "DURATION"});
      List<String> errors = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      Map<String, Integer> last = lastEntries(steps);
      for (StepRecord s : steps) {
        keys.add(s.stepKey());
        rows.add(
            new String[] {
              s.stepKey(),
              s.nodeId(),
              s.status().name(),
              Integer.toString(s.attempts()),
              RunReport.millis(s.duration())
            });
        errors.add(s.error());
      }
      String[] lines = RunReport.table(rows).split("\n");
      for (int i = 0; i < lines.length; i++) {
        sb.append("  ").append(lines[i]).append('\n');
        String error = i == 0 ? null : errors.get(i - 1);
        if (error != null) sb.append("    error: ").append(error).append('\n');
        if (calls != null && i > 0 && Integer.valueOf(i - 1).equals(last.get(keys.get(i - 1)))) {
          for (CallRecords.Call c : calls.getOrDefault(keys.get(i - 1), List.of()))
            sb.append("    ").append(StepCalls.line(c, redactor)).append('\n');
        }
      }
    }

    sb.append("\nOutput:");
    sb.append(
        run.output().isNull() ? " (none)\n" : "\n" + RunReport.write(run.output(), true) + "\n");
    return sb.toString();
  }
}
