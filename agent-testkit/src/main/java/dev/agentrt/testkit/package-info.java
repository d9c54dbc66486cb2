/**
 * Testing agents like code: {@link dev.agentrt.testkit.AgentTest} (a JUnit 5 extension that injects
 * a runtime wired for tests), {@link dev.agentrt.testkit.AgentAssertions} (AssertJ assertions on
 * runs), {@link dev.agentrt.testkit.AgentTestRuntime} (the same wiring without JUnit), and the eval
 * runner of {@code .agent/evals/*.yml} in {@code dev.agentrt.testkit.eval}.
 */
@NullMarked
package dev.agentrt.testkit;

import org.jspecify.annotations.NullMarked;
