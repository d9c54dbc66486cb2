package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code policy:} section of {@code config.yml}: what tools may touch.
 *
 * @param workspace the directory file tools are confined to, relative to the working directory
 * @param httpAllow the hosts the {@code http} tool may reach
 * @param tools per-tool settings, by tool name ({@code enabled: false} disables a tool)
 * @since 0.1
 */
public record PolicySpec(
    @Nullable String workspace,
    @Nullable List<String> httpAllow,
    @Nullable Map<String, JsonNode> tools) {}
