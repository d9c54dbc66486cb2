/**
 * Testing agents like code: {@code AgentTest} (a JUnit 5 extension that injects a runtime wired for
 * tests), {@code AgentAssertions} (AssertJ assertions on runs), {@link
 * dev.agentrt.testkit.AgentTestRuntime} (the same wiring without JUnit), and the eval runner of
 * {@code .agent/evals/*.yml} in {@code dev.agentrt.testkit.eval}, with {@link
 * dev.agentrt.testkit.AgentEvals} turning its cases into dynamic tests.
 */
@NullMarked
package dev.agentrt.testkit;

import org.jspecify.annotations.NullMarked;
