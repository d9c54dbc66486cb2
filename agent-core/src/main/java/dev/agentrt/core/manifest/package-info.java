/**
 * The {@code .agent/} directory as immutable records ({@link
 * dev.agentrt.core.manifest.RuntimeConfig}, {@link dev.agentrt.core.manifest.AgentSpec}, {@link
 * dev.agentrt.core.manifest.WorkflowSpec}), the {@link dev.agentrt.core.manifest.ManifestLoader}
 * that reads and validates it, and the {@link dev.agentrt.core.manifest.ManifestProblem}s it
 * reports with file, line and column.
 *
 * <p>The records mirror the YAML: {@code snake_case} keys become {@code camelCase} components; an
 * optional key that is absent is {@code null}.
 */
@NullMarked
package dev.agentrt.core.manifest;

import org.jspecify.annotations.NullMarked;
