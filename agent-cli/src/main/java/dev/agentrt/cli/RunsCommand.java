package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "Lists the runs of the checkpoint store, newest first.")
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--workflow", paramLabel = "ID", description = "Only runs of this workflow.")
  String workflow;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only runs with this status: ${COMPLETION-CANDIDATES}.")
  RunStatus status;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most N runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print the runs as one JSON array.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
    RunQuery.Builder query = RunQuery.builder().limit(limit);
    if (workflow != null) query.workflowId(workflow);
    if (status != null) query.status(status);
    try (AgentRuntime rt = config.open()) {
      List<RunRecord> runs = rt.checkpointStore().list(query.build());
      var out = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = RunReport.MAPPER.createArrayNode();
        for (RunRecord r : runs) array.add(RunReport.summary(r));
        out.print(RunReport.write(array, false) + "\n");
      } else {
        out.print(table(runs));
        String note = Runs.volatileStoreNote(rt);
        if (runs.isEmpty() && note != null) spec.commandLine().getErr().println("agentrt: " + note);
      }
      out.flush();
      return ExitCode.COMPLETED;
    }
  }

  private static String table(List<RunRecord> runs) {
    if (runs.isEmpty()) return "(no runs)\n";
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RUN", "WORKFLOW", "STATUS", "REASON", "CREATED", "UPDATED"});
    for (RunRecord r : runs) {
      rows.add(new String[] {r.runId(), r.workflowId(), r.status().name(), r.reason() == null ? "-" : r.reason().name(),
          RunReport.time(r.createdAt()), RunReport.time(r.updatedAt())});
    }
    return RunReport.table(rows);
  }
}
