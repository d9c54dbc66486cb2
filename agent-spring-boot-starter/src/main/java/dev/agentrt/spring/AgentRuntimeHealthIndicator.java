package dev.agentrt.spring;

import dev.agentrt.core.AgentRuntime;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code agentrt}: UP when the checkpoint store answers and, if any agent is defined, at least one
 * model is configured (in config.yml or as a bean); details: the store's class, the models, the
 * workflows.
 */
final class AgentRuntimeHealthIndicator extends AbstractHealthIndicator {
  private static final String PROBE_RUN_ID = "agentrt-health-probe";

  private final AgentRuntime runtime;
  private final Set<String> beanModels;

  AgentRuntimeHealthIndicator(AgentRuntime runtime, Set<String> beanModels) {
    super("agentrt health check failed");
    this.runtime = runtime;
    this.beanModels = Set.copyOf(beanModels);
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Set<String> models = new TreeSet<>(runtime.manifests().config().modelsOrEmpty().keySet());
    models.addAll(beanModels);
    builder
        .withDetail("store", runtime.checkpointStore().getClass().getSimpleName())
        .withDetail("models", models)
        .withDetail("workflows", new TreeSet<>(runtime.manifests().workflows().keySet()));
    // a look-up of a run that does not exist: throws if the store is closed or unreachable
    runtime.checkpointStore().find(PROBE_RUN_ID);
    if (models.isEmpty() && !runtime.manifests().agents().isEmpty()) {
      builder.down().withDetail("error", "agents are defined but no model is configured");
    } else {
      builder.up();
    }
  }
}
