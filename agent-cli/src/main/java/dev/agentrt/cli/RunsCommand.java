package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.core.spi.StepRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the runs of the checkpoint store, newest first.",
      "A run whose record cannot be read back is named on stderr with the field concerned; the other runs are "
          + "listed."
    })
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--workflow", paramLabel = "ID", description = "Only runs of this workflow.")
  String workflow;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only runs with this status: ${COMPLETION-CANDIDATES}.")
  RunStatus status;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most N runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--json",
      description =
          "Print the runs as one JSON array; each run with its usage (hops, tokens, cost, LLM and"
              + " tool calls).")
  boolean json;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description =
          "Only runs with this label (given by 'run --label'); repeatable: all must match.")
  List<String> labels = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    if (limit < 1)
      throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
    RunQuery.Builder query = RunQuery.builder().limit(limit);
    if (workflow != null) query.workflowId(workflow);
    if (status != null) query.status(status);
    for (String label : labels) {
      try {
        String[] kv = LabelOption.split(label);
        query.label(kv[0], kv[1]);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    try (AgentRuntime rt = config.openForReading()) {
      RunListing listing = rt.checkpointStore().summaries(query.build());
      List<RunSummary> runs = listing.runs();
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      config.printWarnings(err);
      if (json) {
        ArrayNode array = RunReport.MAPPER.createArrayNode();
        for (RunSummary r : runs) {
          ObjectNode o = RunReport.summary(r);
          Runs.putLineage(o, r);
          // totals of the step log: what show's usage says, per run
          BudgetUsage usage = BudgetUsage.ZERO;
          try {
            for (StepRecord s : rt.checkpointStore().steps(r.runId()))
              usage = usage.plusStep(s.usage());
            ShowCommand.usage(o.putObject("usage"), usage);
          } catch (AgentrtException e) {
            o.putNull("usage");
            err.println("agentrt: run '" + r.runId() + "': " + e.getMessage());
          }
          array.add(o);
        }
        out.print(RunReport.write(array, false) + "\n");
      } else {
        out.print(table(runs));
        String note = Runs.volatileStoreNote(rt);
        if (runs.isEmpty() && listing.unreadable().isEmpty() && note != null)
          err.println("agentrt: " + note);
      }
      out.flush();
      // a damaged record is reported and the others listed: one run must not hide the rest
      for (String problem : listing.unreadable()) err.println("agentrt: " + problem);
      err.flush();
      return ExitCode.COMPLETED;
    }
  }

  /**
   * The runs as a table; with a column FORKED FROM ({@code <parent>@<step>}) when one of them was
   * forked.
   */
  static String table(List<RunSummary> runs) {
    if (runs.isEmpty()) return "(no runs)\n";
    boolean lineage = runs.stream().anyMatch(r -> r.parentRunId() != null);
    List<String[]> rows = new ArrayList<>();
    rows.add(
        lineage
            ? new String[] {
              "RUN", "WORKFLOW", "STATUS", "REASON", "CREATED", "UPDATED", "FORKED FROM"
            }
            : new String[] {"RUN", "WORKFLOW", "STATUS", "REASON", "CREATED", "UPDATED"});
    for (RunSummary r : runs) {
      String[] row = {
        r.runId(),
        r.workflowId(),
        r.status().name(),
        r.reason() == null ? "-" : r.reason().name(),
        RunReport.time(r.createdAt()),
        RunReport.time(r.updatedAt())
      };
      if (lineage) {
        String from = Runs.forkedFrom(r);
        row = Arrays.copyOf(row, row.length + 1);
        row[row.length - 1] = from == null ? "-" : from;
      }
      rows.add(row);
    }
    return RunReport.table(rows);
  }
}
