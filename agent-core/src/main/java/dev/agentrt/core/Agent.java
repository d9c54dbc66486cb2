package dev.agentrt.core;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.internal.CodeManifest;
import dev.agentrt.core.internal.CodeTrees;
import dev.agentrt.core.internal.SourceMap;
import dev.agentrt.core.internal.SourceMap.CallSite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An LLM agent built in Java instead of an {@code agents/*.yml} file: the same keys, read by the
 * same loader into the same {@link dev.agentrt.core.manifest.AgentSpec} and checked the same way
 * (agent nodes need agent-llm on the classpath). Register it with {@link
 * AgentRuntime.Builder#agent(Agent)}; {@code kind: agent} nodes of any workflow name it.
 *
 * <pre>{@code
 * Agent reviewer = Agent.builder("reviewer")
 *     .model("default")
 *     .prompt("You review {{input.title}}. Answer with a verdict.")
 *     .tools("fs.read")
 *     .outputType(Review.class)   // record Review(String verdict, List<String> notes)
 *     .build();
 * }</pre>
 *
 * <p>Problems are reported when the runtime is built, each at the builder call that made it ({@code
 * Agents.java:12: agent 'reviewer', model("defualt"): ...}). Immutable once built; a {@link
 * Builder} is not thread-safe.
 *
 * @since 0.1
 */
public final class Agent {
  private final String name;
  private final String yaml;
  private final SourceMap map;

  private Agent(String name, String yaml, SourceMap map) {
    this.name = name;
    this.yaml = yaml;
    this.map = map;
  }

  /** Starts an agent with this name (the name {@code agent:} of a node refers to). */
  public static Builder builder(String name) {
    Objects.requireNonNull(name, "name");
    return new Builder(name, CallSite.here(CodeTrees.call("Agent.builder", name)));
  }

  /** The agent's name. */
  public String name() {
    return name;
  }

  /** The agent as the {@code agents/<name>.yml} file that would define it. */
  public String yaml() {
    return yaml;
  }

  CodeManifest manifest() {
    return new CodeManifest(name, yaml, map);
  }

  @Override
  public String toString() {
    return "Agent[" + name + "]";
  }

  /**
   * Builds an {@link Agent}. Each method sets the key of the same name in {@code agents/*.yml}.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final String name;
    private final CallSite origin;
    private final ObjectNode tree = JsonNodeFactory.instance.objectNode();
    private final Map<String, CallSite> sites = new LinkedHashMap<>();

    private Builder(String name, CallSite origin) {
      this.name = name;
      this.origin = origin;
      tree.put("name", name);
    }

    private Builder set(String key, Object value, String call) {
      tree.set(key, CodeTrees.tree(value));
      sites.put("/" + key, CallSite.here(call));
      return this;
    }

    /** What the agent does. */
    public Builder description(String description) {
      return set("description", description, CodeTrees.call("description", "..."));
    }

    /**
     * The model: a key of {@code models:} in {@code config.yml}, or a name registered with {@link
     * AgentRuntime.Builder#model(String, Object)}.
     */
    public Builder model(String model) {
      return set("model", model, CodeTrees.call("model", model));
    }

    /** The system prompt template itself ({@code {{...}}} filled from the node's input). */
    public Builder prompt(String template) {
      return set("prompt", template, CodeTrees.call("prompt", "..."));
    }

    /** The system prompt template in a file, relative to the configuration directory. */
    public Builder system(String path) {
      return set("system", path, CodeTrees.call("system", path));
    }

    /** The tools the agent may call. */
    public Builder tools(String... tools) {
      tree.set("tools", CodeTrees.strings(tools));
      sites.put("/tools", CallSite.here(CodeTrees.call("tools", (Object[]) tools)));
      return this;
    }

    /** The sampling temperature, 0 to 2 (0 when not set). */
    public Builder temperature(double temperature) {
      return set("temperature", temperature, CodeTrees.call("temperature", temperature));
    }

    /** The JSON Schema the final answer must match, as a {@code Map} or {@code JsonNode}. */
    public Builder outputSchema(Object schema) {
      tree.putObject("output").set("schema", CodeTrees.tree(schema));
      sites.put("/output", CallSite.here("outputSchema(...)"));
      return this;
    }

    /**
     * The final answer must be a {@code type} record: its schema is generated from the record's
     * components, and {@link RunResult#outputAs(Class)} reads the answer back as one.
     */
    public Builder outputType(Class<? extends Record> type) {
      tree.putObject("output").put("type", type.getName());
      sites.put("/output", CallSite.here("outputType(" + type.getSimpleName() + ".class)"));
      return this;
    }

    /** Limits for each execution of the agent. */
    public Builder budget(BudgetLimits limits) {
      tree.set("budget", CodeTrees.budget(limits));
      sites.put("/budget", CallSite.here("budget(...)"));
      return this;
    }

    /** Whether tokens are streamed to listeners. */
    public Builder stream(boolean stream) {
      return set("stream", stream, CodeTrees.call("stream", stream));
    }

    /** The most model-tool round trips in one execution. */
    public Builder maxToolRounds(int rounds) {
      return set("max_tool_rounds", rounds, CodeTrees.call("maxToolRounds", rounds));
    }

    /** Which memory scopes its {@code memory.*} tool calls may read and write. */
    public Builder memory(List<String> read, List<String> write) {
      return set("memory", Map.of("read", read, "write", write), "memory(...)");
    }

    /** A key of {@code context_profiles:} in {@code config.yml}. */
    public Builder contextProfile(String profile) {
      return set("context_profile", profile, CodeTrees.call("contextProfile", profile));
    }

    /** Capability tags the nodes running this agent provide. */
    public Builder tags(String... tags) {
      tree.set("tags", CodeTrees.strings(tags));
      sites.put("/tags", CallSite.here(CodeTrees.call("tags", (Object[]) tags)));
      return this;
    }

    /** The agent; its problems are reported when a runtime is built with it. */
    public Agent build() {
      return new Agent(
          name,
          CodeTrees.yaml(tree.deepCopy()),
          new SourceMap("agent '" + name + "'", origin, sites));
    }
  }
}
