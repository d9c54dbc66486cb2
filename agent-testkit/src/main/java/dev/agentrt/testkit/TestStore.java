package dev.agentrt.testkit;

/**
 * Where a test runtime keeps its runs.
 *
 * @since 0.1
 */
public enum TestStore {
  /** In memory: the fastest; runs are gone when the runtime closes. */
  MEMORY,
  /**
   * In a SQLite file of the test's temporary directory (needs {@code dev.agentrt:agent-memory}), to
   * test what durable runs do: resume in a new runtime, replay, fork.
   */
  SQLITE
}
