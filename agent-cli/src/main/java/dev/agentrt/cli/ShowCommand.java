package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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

  @Option(names = "--json", description = "Print the run as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    try (AgentRuntime rt = config.open()) {
      RunRecord run = Runs.find(rt, runId);
      List<StepRecord> steps = rt.checkpointStore().steps(runId);
      BudgetUsage usage = BudgetUsage.ZERO;
      for (StepRecord s : steps) usage = usage.plusStep(s.usage());
      var out = spec.commandLine().getOut();
      out.print(json ? json(run, steps, usage) + "\n" : text(run, steps, usage));
      out.flush();
      return ExitCode.COMPLETED;
    }
  }

  /**
   * One object: runId, workflow, status, reason, stepKey, message, created, updated, input, output,
   * usage, steps (key, node, status, attempts, started, durationMs, error, output).
   */
  static String json(RunRecord run, List<StepRecord> steps, BudgetUsage usage) {
    ObjectNode root = RunReport.summary(RunSummary.of(run));
    root.put("stepKey", run.stepKey());
    root.put("message", run.message());
    root.set("input", run.input());
    root.set("output", run.output());
    ObjectNode u = root.putObject("usage");
    u.put("hops", usage.hops());
    u.put("inputTokens", usage.inputTokens());
    u.put("outputTokens", usage.outputTokens());
    u.put("costUsd", usage.costUsd());
    u.put("llmCalls", usage.llmCalls());
    u.put("toolCalls", usage.toolCalls());
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
    return RunReport.write(root, false);
  }

  /**
   * For a person: a header, input, the step log as a table (errors below their step), usage and
   * output.
   */
  static String text(RunRecord run, List<StepRecord> steps, BudgetUsage usage) {
    StringBuilder sb = new StringBuilder();
    sb.append("Run ")
        .append(run.runId())
        .append(" of workflow ")
        .append(run.workflowId())
        .append('\n');
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
      for (StepRecord s : steps) {
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
      }
    }

    sb.append("\nOutput:");
    sb.append(
        run.output().isNull() ? " (none)\n" : "\n" + RunReport.write(run.output(), true) + "\n");
    return sb.toString();
  }
}
