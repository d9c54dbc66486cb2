package dev.agentrt.core.manifest;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything loaded and validated from one configuration directory. Immutable.
 *
 * @since 0.1
 */
public final class Manifests {
  private final Path dir;
  private final RuntimeConfig config;
  private final Map<String, AgentSpec> agents;
  private final Map<String, WorkflowSpec> workflows;
  private final Map<String, String> hashes;
  private final Redactor redactor;

  /**
   * @param dir the configuration directory
   * @param config {@code config.yml}, or {@link RuntimeConfig#EMPTY}
   * @param agents agents by name, in file order
   * @param workflows workflows by id, in file order
   * @param hashes SHA-256 (hex) of each workflow and the agent files it uses, by workflow id
   * @param secrets credential values resolved while loading, kept only inside {@link #redactor()}
   */
  public Manifests(
      Path dir,
      RuntimeConfig config,
      Map<String, AgentSpec> agents,
      Map<String, WorkflowSpec> workflows,
      Map<String, String> hashes,
      Set<String> secrets) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.config = Objects.requireNonNull(config, "config");
    this.agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    this.workflows = Collections.unmodifiableMap(new LinkedHashMap<>(workflows));
    this.hashes = Map.copyOf(hashes);
    this.redactor = Redactor.of(secrets);
  }

  /** The configuration directory; relative paths in manifests resolve against it. */
  public Path dir() {
    return dir;
  }

  /** {@code config.yml}, or {@link RuntimeConfig#EMPTY} if the directory has none. */
  public RuntimeConfig config() {
    return config;
  }

  /** The agents by name, in file-name order. */
  public Map<String, AgentSpec> agents() {
    return agents;
  }

  /** The workflows by id, in file-name order. */
  public Map<String, WorkflowSpec> workflows() {
    return workflows;
  }

  public Optional<AgentSpec> agent(String name) {
    return Optional.ofNullable(agents.get(name));
  }

  public Optional<WorkflowSpec> workflow(String id) {
    return Optional.ofNullable(workflows.get(id));
  }

  /**
   * SHA-256 (hex) of the workflow's file, the agent files and sub-workflows it uses; a run records
   * it so that resuming after the workflow changed can be refused.
   */
  public String hash(String workflowId) {
    String h = hashes.get(workflowId);
    if (h == null) throw new IllegalArgumentException("no workflow '" + workflowId + "'");
    return h;
  }

  /**
   * Masks the credential values resolved from {@code ${env:...}} and {@code ${file:...}} (never to
   * be shown): hand it to whatever writes text or JSON out of the process (stores, logs, spans).
   */
  public Redactor redactor() {
    return redactor;
  }

  @Override
  public String toString() {
    return "Manifests{dir="
        + dir
        + ", agents="
        + agents.keySet()
        + ", workflows="
        + workflows.keySet()
        + "}";
  }
}
