package dev.agentrt.spring;

import dev.agentrt.core.AgentRuntime;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code agentrt} health indicator, when Spring Boot's health support ({@code
 * spring-boot-health}, which Actuator brings) is on the classpath and there is an {@link
 * AgentRuntime} bean: UP when the runtime's checkpoint store answers and, if the configuration
 * defines agents, at least one model is configured (in config.yml or as a bean); its details name
 * the store, the models and the workflows. Switch it off with {@code
 * management.health.agentrt.enabled=false}, replace it with a bean named {@code
 * agentrtHealthIndicator}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = AgentrtAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AgentRuntime.class)
@ConditionalOnEnabledHealthIndicator("agentrt")
public class AgentrtHealthAutoConfiguration {

  /** Created by Spring. */
  public AgentrtHealthAutoConfiguration() {}

  /**
   * The health indicator of {@code runtime}.
   *
   * @param runtime the runtime
   * @param beans the application's beans, for the names of the chat model beans
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "agentrtHealthIndicator")
  public HealthIndicator agentrtHealthIndicator(AgentRuntime runtime, ListableBeanFactory beans) {
    return new AgentRuntimeHealthIndicator(
        runtime, AgentrtAutoConfiguration.models(beans).keySet());
  }
}
