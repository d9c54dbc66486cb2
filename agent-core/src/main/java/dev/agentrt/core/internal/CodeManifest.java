package dev.agentrt.core.internal;

/**
 * A manifest built in Java: the YAML it renders (read by the same binder and checks as a file of
 * {@code .agent/}) and where its parts were built, for locating problems.
 *
 * @param name the workflow's id or the agent's name
 * @param yaml the manifest as YAML
 * @param map the builder calls of its parts
 */
public record CodeManifest(String name, String yaml, SourceMap map) {}
