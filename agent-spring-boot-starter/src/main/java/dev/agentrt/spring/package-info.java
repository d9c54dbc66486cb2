/**
 * Spring Boot auto-configuration of an {@link dev.agentrt.core.AgentRuntime}: {@link
 * dev.agentrt.spring.AgentrtProperties} ({@code agentrt.*}), {@link
 * dev.agentrt.spring.AgentRuntimeCustomizer} and {@link
 * dev.agentrt.spring.AgentrtAutoConfiguration}.
 */
@NullMarked
package dev.agentrt.spring;

import org.jspecify.annotations.NullMarked;
