package dev.agentrt.testkit;

import dev.agentrt.core.AgentRuntime;
import java.nio.file.Path;

/**
 * What an {@link AgentTest} prepared for one test, injected as a parameter: the runtime and the
 * directories it works in.
 *
 * @since 0.1
 */
public interface AgentTestContext {
  /** The test's runtime (the one injected as {@link AgentRuntime}). */
  AgentRuntime runtime();

  /** The copy of the configuration directory the runtime reads. */
  Path configDir();

  /** The file tools' workspace: a copy of {@link AgentTest#workspace()}, or an empty directory. */
  Path workspace();

  /**
   * Another runtime on the same configuration copy, store and workspace, with the same models,
   * closed after the test: with {@link TestStore#SQLITE} it sees the runs of {@link #runtime()}, to
   * test what survives a restart (close the first, resume in this one).
   */
  AgentRuntime newRuntime();
}
