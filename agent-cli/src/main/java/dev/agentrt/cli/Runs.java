package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunNotFoundException;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.RunSummary;
import dev.agentrt.memory.SqliteCheckpointStore;
import org.jspecify.annotations.Nullable;

/** Finding a recorded run, with messages that say where the CLI looked. */
final class Runs {
  private Runs() {}

  /**
   * The run with this id.
   *
   * @throws RunNotFoundException naming the store (and, for a store that keeps nothing across
   *     processes, why the run cannot be there)
   */
  static RunRecord find(AgentRuntime rt, String runId) {
    return rt.checkpointStore().find(runId).orElseThrow(() -> notFound(rt, runId));
  }

  /** Throws {@link #find}'s exception unless the store has the run. */
  static void requireExists(AgentRuntime rt, String runId) {
    find(rt, runId);
  }

  private static RunNotFoundException notFound(AgentRuntime rt, String runId) {
    CheckpointStore store = rt.checkpointStore();
    String where =
        store instanceof SqliteCheckpointStore s ? " " + s.path().toAbsolutePath().normalize() : "";
    String note = volatileStoreNote(rt);
    return new RunNotFoundException(
        runId,
        "no run '"
            + runId
            + "' in the checkpoint store"
            + where
            + (note == null ? "" : " (" + note + ")"));
  }

  /**
   * Why the configured store cannot hold runs of earlier processes, or {@code null} if it can: each
   * {@code agentrt} command is a new process, so {@code memory} (the default without a {@code
   * checkpoint:} section) and {@code none} never list a run.
   */
  static @Nullable String volatileStoreNote(AgentRuntime rt) {
    CheckpointSpec spec = rt.manifests().config().checkpoint();
    if (spec == null) {
      return "config.yml has no checkpoint: section, so runs are kept in memory and end with their"
          + " process; set checkpoint: {store: sqlite} to list, show and resume runs";
    }
    String name = spec.store();
    if (!"memory".equals(name) && !"none".equals(name)) return null;
    return "config.yml sets checkpoint.store '"
        + name
        + "', which keeps no run after its process ends;"
        + " use checkpoint: {store: sqlite} to list, show and resume runs";
  }

  /** {@code <parent>@<step>} of a forked run, or null if the run was not forked. */
  static @Nullable String forkedFrom(RunSummary run) {
    if (run.parentRunId() == null) return null;
    return run.parentRunId() + (run.forkedFromStep() == null ? "" : "@" + run.forkedFromStep());
  }

  /** Adds {@code parentRunId} and {@code forkedFromStep} to {@code o} when the run was forked. */
  static void putLineage(ObjectNode o, RunSummary run) {
    if (run.parentRunId() == null) return;
    o.put("parentRunId", run.parentRunId());
    if (run.forkedFromStep() != null) o.put("forkedFromStep", run.forkedFromStep());
  }
}
