package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.QueueFullException;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt enqueue WORKFLOW}: stores a run as queued, for the workers sharing the checkpoint
 * store ({@code agentrt worker}), without executing it.
 */
@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    description =
        "Puts a run of WORKFLOW on the checkpoint store's queue without executing it; a worker"
            + " sharing the store ('agentrt worker') executes it. Prints the run's id.")
final class EnqueueCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin InputOption input;

  @Parameters(paramLabel = "WORKFLOW", description = "The workflow's id.")
  String workflow;

  @Option(names = "--json", description = "Print {\"run_id\", \"workflow\", \"status\"} as JSON.")
  boolean json;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "The run's priority: higher runs are claimed first (default 0).")
  int priority;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "The run's id instead of a generated one (unused in the store).")
  @Nullable String runId;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label stored with the run (repeatable).")
  List<String> labels = new ArrayList<>();

  @Override
  public Integer call() {
    JsonNode in = input.parse();
    PrintWriter err = spec.commandLine().getErr();
    try (AgentRuntime rt = config.open()) {
      RunHandle h;
      try {
        RunOptions.Builder b = RunOptions.builder().priority(priority).leaveToWorkers();
        if (runId != null) b.runId(runId);
        for (String label : labels) {
          String[] kv = LabelOption.split(label);
          b.label(kv[0], kv[1]);
        }
        h = rt.enqueue(workflow, in, b.build());
      } catch (IllegalArgumentException | IllegalStateException | QueueFullException e) {
        err.println("agentrt: enqueue: " + e.getMessage());
        err.flush();
        return ExitCode.USAGE;
      }
      String note = Runs.volatileStoreNote(rt);
      if (note != null) {
        err.println("agentrt: run '" + h.runId() + "' is lost when this command ends: " + note);
        err.flush();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("run_id", h.runId());
        o.put("workflow", workflow);
        o.put("status", "QUEUED");
        out.println(o.toString());
      } else {
        out.println(h.runId());
      }
      out.flush();
      return ExitCode.COMPLETED;
    }
  }
}
