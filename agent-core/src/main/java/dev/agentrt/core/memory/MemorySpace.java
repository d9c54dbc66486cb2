package dev.agentrt.core.memory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One space of items: a scope and its owner. The owner of {@link MemoryScope#TASK} is the run's id,
 * of {@link MemoryScope#PROJECT} the project (its {@code .agent/} directory), of {@link
 * MemoryScope#GLOBAL} always {@value #GLOBAL_OWNER}. A key is unique within a space.
 *
 * @param scope the scope
 * @param owner who the space belongs to, not blank
 * @since 0.1
 */
public record MemorySpace(MemoryScope scope, String owner) {
  /** The owner of the one global space. */
  public static final String GLOBAL_OWNER = "global";

  /** Checks the arguments. */
  public MemorySpace {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(owner, "owner");
    if (owner.isBlank())
      throw new IllegalArgumentException("the owner of a space must not be blank");
  }

  /** The task space of run {@code runId}. */
  public static MemorySpace task(String runId) {
    return new MemorySpace(MemoryScope.TASK, runId);
  }

  /** The space of project {@code projectId}. */
  public static MemorySpace project(String projectId) {
    return new MemorySpace(MemoryScope.PROJECT, projectId);
  }

  /**
   * The project space of configuration directory {@code configDir}: owned by the name of the
   * directory holding it (for {@code /home/me/shop/.agent}: {@code shop}), so the project keeps its
   * memory when it moves.
   */
  public static MemorySpace projectOf(Path configDir) {
    Path abs = configDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    Path named = parent != null && parent.getFileName() != null ? parent : abs;
    return project(named.getFileName() == null ? "project" : named.getFileName().toString());
  }

  /** The global space. */
  public static MemorySpace global() {
    return new MemorySpace(MemoryScope.GLOBAL, GLOBAL_OWNER);
  }
}
