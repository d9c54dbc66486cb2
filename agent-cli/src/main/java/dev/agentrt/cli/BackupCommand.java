package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentrt backup FILE}: a consistent copy of the SQLite checkpoint store, runs going on. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description =
        "Writes a consistent copy of the SQLite checkpoint store to FILE (a new file) while runs go"
            + " on; the copy opens as a store with the same runs.")
final class BackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "FILE", description = "The copy to write; it must not exist.")
  Path file;

  @Override
  public Integer call() {
    try (AgentRuntime rt = config.openForReading()) {
      PrintWriter err = spec.commandLine().getErr();
      if (!(rt.checkpointStore() instanceof SqliteCheckpointStore store)) {
        err.println(
            "agentrt: backup: the checkpoint store is not SQLite ("
                + rt.checkpointStore().getClass().getSimpleName()
                + "); set checkpoint: {store: sqlite} in config.yml");
        err.flush();
        return ExitCode.USAGE;
      }
      store.backup(file);
      int runs = store.summaries(RunQuery.builder().limit(Integer.MAX_VALUE).build()).runs().size();
      PrintWriter out = spec.commandLine().getOut();
      out.println("Backed up " + runs + (runs == 1 ? " run" : " runs") + " to " + file);
      out.flush();
      return ExitCode.COMPLETED;
    }
  }
}
