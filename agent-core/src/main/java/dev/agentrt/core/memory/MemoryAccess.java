package dev.agentrt.core.memory;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The runtime's memory as one caller may use it: the store, the spaces of the caller's run and
 * project, and the scopes the calling agent may read and write ({@code memory: {read: [...], write:
 * [...]}} in its file; {@code task} and {@code project} for both when absent). The built-in {@code
 * memory.save} and {@code memory.search} tools get it from their {@code ToolContext}.
 *
 * @param store the runtime's store
 * @param runId the run the call belongs to: the owner of its {@link MemoryScope#TASK} space
 * @param projectId the owner of the {@link MemoryScope#PROJECT} space
 * @param read the scopes the caller may search and read
 * @param write the scopes the caller may write
 * @since 0.1
 */
public record MemoryAccess(
    MemoryStore store,
    String runId,
    String projectId,
    Set<MemoryScope> read,
    Set<MemoryScope> write) {

  /** The scopes an agent may read and write when its file has no {@code memory:}. */
  public static final Set<MemoryScope> DEFAULT_SCOPES =
      Set.copyOf(EnumSet.of(MemoryScope.TASK, MemoryScope.PROJECT));

  /** Checks and copies the arguments. */
  public MemoryAccess {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(projectId, "projectId");
    read = Set.copyOf(read);
    write = Set.copyOf(write);
  }

  /** The space of {@code scope} for this caller: its run's, its project's, or the global one. */
  public MemorySpace space(MemoryScope scope) {
    return switch (scope) {
      case TASK -> MemorySpace.task(runId);
      case PROJECT -> MemorySpace.project(projectId);
      case GLOBAL -> MemorySpace.global();
    };
  }

  /**
   * Where the runtime's memory comes from for one tool call. Implemented by the engine.
   *
   * @since 0.1
   */
  @FunctionalInterface
  public interface Source {
    /**
     * The memory of run {@code runId} as {@code agent} may use it ({@code null}: a workflow's
     * {@code kind: tool} node, which has the default scopes).
     *
     * @throws MemoryException when the runtime has no memory backend
     */
    MemoryAccess forCall(String runId, @Nullable String agent);

    /** A source for a bus outside a runtime: every call fails naming what to do. */
    static Source none() {
      return (runId, agent) -> {
        throw new MemoryException(
            "this tool bus has no memory: build it through AgentRuntime (with"
                + " dev.agentrt:agent-memory on the class path) to use the memory tools");
      };
    }
  }
}
