package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunOptions;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.llm.ScriptRecorder;
import dev.agentrt.testkit.RunBaseline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs a workflow to its end (or until it waits for input) and prints the result.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;
  @Mixin InputOption input;

  @Parameters(paramLabel = "WORKFLOW", description = "The workflow's id.")
  String workflow;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--record",
      paramLabel = "FILE",
      description =
          "Write the run's LLM calls to FILE as a script for the scripted provider (relative to"
              + " the working directory), to replay the run offline, with what the run did (steps,"
              + " outputs, tool calls) under 'baseline:' for regression tests.")
  @Nullable Path recordFile;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description =
          "The run's id instead of a generated one (letters, digits, '.', '_', ':', '-'; unused in"
              + " the store).")
  @Nullable String runId;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label stored with the run (repeatable); 'agentrt runs --label' finds it.")
  List<String> labels = new ArrayList<>();

  @Override
  public Integer call() {
    JsonNode in = input.parse();
    RunOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("agentrt: " + e.getMessage());
      err.flush();
      return ExitCode.USAGE;
    }
    try (AgentRuntime rt = config.open()) {
      if (recordFile != null && rt.checkpointStore() == CheckpointStore.none()) {
        return recordError(
            "the checkpoint store is 'none', which keeps no LLM calls (use checkpoint: {store: memory}"
                + " or sqlite in config.yml)");
      }
      RunResult r;
      try {
        r = rt.run(workflow, in, options);
      } catch (IllegalArgumentException e) {
        // a run id already used: what to change, without a stack trace
        PrintWriter err = spec.commandLine().getErr();
        err.println("agentrt: " + e.getMessage());
        err.flush();
        return ExitCode.USAGE;
      }
      int code = RunReport.print(spec, r, json);
      String note = r.status() == RunStatus.WAITING ? Runs.volatileStoreNote(rt) : null;
      if (note != null) {
        // the run waits for a 'resume' that, in a new process, will not find it
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "agentrt: run '" + r.runId() + "' cannot be resumed by a later command: " + note);
        err.flush();
      }
      return recordFile == null
          ? code
          : writeScript(r, rt.checkpointStore().calls(r.runId()), code);
    }
  }

  private RunOptions options() {
    RunOptions.Builder b = RunOptions.builder();
    if (runId != null) b.runId(runId);
    for (String label : labels) {
      String[] kv = LabelOption.split(label);
      b.label(kv[0], kv[1]);
    }
    return b.build();
  }

  /**
   * Writes the script of {@code calls} and, under {@code baseline:}, what the run did (for {@code
   * RunResultAssert.matchesBaseline}); a problem is one line on stderr and exit code 2.
   */
  private int writeScript(RunResult r, List<CallRecord> calls, int code) {
    Path file = java.util.Objects.requireNonNull(recordFile).toAbsolutePath();
    String script;
    try {
      script =
          ScriptRecorder.toYaml(calls)
              + "# what the run did, compared by RunResultAssert.matchesBaseline(file)\nbaseline:\n"
              + RunBaseline.of(r, calls).toYaml().replaceAll("(?m)^(?=.)", "  ");
    } catch (IllegalArgumentException e) {
      return recordError(e.getMessage());
    }
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      Files.writeString(file, script);
    } catch (IOException e) {
      return recordError("cannot write " + file + ": " + e);
    }
    if (!json) {
      String model = ScriptRecorder.models(calls).get(0);
      long n = calls.stream().filter(c -> c.kind() == CallKind.LLM).count();
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Recorded "
              + n
              + (n == 1 ? " LLM call" : " LLM calls")
              + " of model '"
              + model
              + "' to "
              + recordFile);
      out.flush();
    }
    return code;
  }

  private int recordError(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("agentrt: --record " + recordFile + ": " + message);
    err.flush();
    return ExitCode.USAGE;
  }
}
