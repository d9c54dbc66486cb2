package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.manifest.PolicySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What tools may touch: the workspace file tools are confined to, the hosts {@code http} may reach,
 * and per-tool settings ({@code policy:} in {@code config.yml}). Immutable.
 *
 * <p>Permissions: a tool declares the permissions it needs; {@code net} is granted only when {@link
 * #httpAllow()} is not empty, every other permission is granted unless the tool is disabled with
 * {@code policy.tools.<name>.enabled: false}.
 *
 * @since 0.1
 */
public final class ToolPolicy {
  private static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();

  private final Path workspace;
  private final List<String> httpAllow;
  private final Map<String, JsonNode> tools;

  private ToolPolicy(Builder b) {
    Path ws = b.workspace.toAbsolutePath().normalize();
    if (!Files.isDirectory(ws)) {
      throw new IllegalArgumentException(
          "policy.workspace: directory '"
              + ws
              + "' does not exist (create it, or point policy.workspace in config.yml at a directory)");
    }
    try {
      this.workspace = ws.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "policy.workspace: directory '" + ws + "' cannot be read: " + e.getMessage(), e);
    }
    this.httpAllow = List.copyOf(b.httpAllow);
    this.tools = Map.copyOf(b.tools);
  }

  /** A policy with the working directory as workspace, no hosts and no settings. */
  public static ToolPolicy ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The policy that {@code config.yml}'s {@code policy:} section describes; a relative workspace
   * resolves against {@code baseDir} (the working directory for the runtime).
   *
   * @throws IllegalArgumentException if the workspace does not exist
   */
  public static ToolPolicy from(@Nullable PolicySpec spec, Path baseDir) {
    Objects.requireNonNull(baseDir, "baseDir");
    Builder b = builder().workspace(baseDir);
    if (spec == null) return b.build();
    if (spec.workspace() != null) b.workspace(baseDir.resolve(spec.workspace()));
    if (spec.httpAllow() != null) b.httpAllow(spec.httpAllow());
    if (spec.tools() != null) spec.tools().forEach(b::toolSettings);
    return b.build();
  }

  /** A builder with this policy's values. */
  public Builder toBuilder() {
    Builder b = builder().workspace(workspace).httpAllow(httpAllow);
    tools.forEach(b::toolSettings);
    return b;
  }

  /** The workspace: an absolute, real path of an existing directory. */
  public Path workspace() {
    return workspace;
  }

  /**
   * The hosts {@code http} may reach: {@code host}, {@code host:port}, {@code *.domain}, or an IP
   * literal.
   */
  public List<String> httpAllow() {
    return httpAllow;
  }

  /** The settings of {@code tool} ({@code policy.tools.<tool>}), or an empty object. */
  public JsonNode settings(String tool) {
    JsonNode s = tools.get(tool);
    return s == null || !s.isObject() ? EMPTY : s;
  }

  /** Whether {@code policy.tools.<tool>.enabled} is not {@code false}. */
  public boolean enabled(String tool) {
    return settings(tool).path("enabled").asBoolean(true);
  }

  /** Why the policy does not grant {@code permission}, or {@code null} if it does. */
  @Nullable String denial(String permission) {
    if ("net".equals(permission) && httpAllow.isEmpty()) {
      return "policy does not grant permission 'net': policy.http_allow is empty (list the hosts the tool may reach in policy.http_allow in config.yml)";
    }
    return null;
  }

  @Override
  public String toString() {
    return "ToolPolicy{workspace="
        + workspace
        + ", httpAllow="
        + httpAllow
        + ", tools="
        + tools.keySet()
        + "}";
  }

  /** Builds a {@link ToolPolicy}. Not thread-safe. */
  public static final class Builder {
    private Path workspace = Path.of("");
    private final List<String> httpAllow = new ArrayList<>();
    private final Map<String, JsonNode> tools = new LinkedHashMap<>();

    private Builder() {}

    /** The directory file tools are confined to; must exist. Default: the working directory. */
    public Builder workspace(Path workspace) {
      this.workspace = Objects.requireNonNull(workspace, "workspace");
      return this;
    }

    /** Replaces the hosts {@code http} may reach. */
    public Builder httpAllow(List<String> hosts) {
      Objects.requireNonNull(hosts, "hosts");
      httpAllow.clear();
      for (String h : hosts) httpAllow.add(Objects.requireNonNull(h, "host"));
      return this;
    }

    /**
     * The settings of one tool, an object such as {@code {"enabled": false}} or {@code {"timeout":
     * "PT2M"}}.
     */
    public Builder toolSettings(String tool, JsonNode settings) {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(settings, "settings");
      if (!settings.isObject()) {
        throw new IllegalArgumentException(
            "policy.tools."
                + tool
                + ": must be a mapping of settings, got "
                + settings.getNodeType());
      }
      tools.put(tool, settings.deepCopy());
      return this;
    }

    /**
     * @throws IllegalArgumentException if the workspace does not exist
     */
    public ToolPolicy build() {
      return new ToolPolicy(this);
    }
  }
}
