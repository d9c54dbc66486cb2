package dev.agentrt.memory.internal.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.memory.MemoryAccess;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryFilter;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolProvider;
import dev.agentrt.core.spi.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The built-in memory tools, offered to {@link java.util.ServiceLoader} discovery: {@code
 * memory.save} and {@code memory.search}. They reach the runtime's memory through {@link
 * ToolContext#memory()}, within the calling agent's {@code memory:} permissions; a scope the agent
 * may not use is a failed call saying so.
 */
public final class MemoryTools implements ToolProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public List<Tool> tools() {
    return List.of(new Save(), new Search());
  }

  private static JsonNode schema(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("bad built-in schema", e);
    }
  }

  private static final String SCOPE_SCHEMA =
      "{\"type\":\"string\",\"enum\":[\"task\",\"project\",\"global\"]}";

  /** {@code memory.save}: an idempotent upsert of one item. */
  static final class Save implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "memory.save",
            "Saves a text under a key in memory, replacing what the key held. scope: task (this"
                + " run, the default), project (every run of this project) or global.",
            schema(
                "{\"type\":\"object\",\"required\":[\"key\",\"text\"],"
                    + "\"additionalProperties\":false,\"properties\":{"
                    + "\"key\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":512,"
                    + "\"description\":\"the item's key, unique in its scope\"},"
                    + "\"text\":{\"type\":\"string\",\"description\":\"the text to remember\"},"
                    + "\"metadata\":{\"type\":\"object\",\"description\":\"fields to filter"
                    + " searches by\"},"
                    + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\","
                    + "\"minLength\":1}},"
                    + "\"scope\":"
                    + SCOPE_SCHEMA
                    + "}}"),
            Set.of(),
            Effect.IDEMPOTENT,
            List.of("memory"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      JsonNode a = call.arguments();
      MemoryScope scope =
          a.hasNonNull("scope") ? MemoryScope.parse(a.get("scope").asText()) : MemoryScope.TASK;
      MemoryAccess m = context.memory();
      if (!m.write().contains(scope)) return denied(call, "write", scope, m.write());
      List<String> tags = new ArrayList<>();
      a.path("tags").forEach(t -> tags.add(t.asText()));
      MemoryWrite w;
      try {
        w =
            new MemoryWrite(
                a.get("key").asText(),
                a.get("text").asText(),
                a.get("metadata") instanceof ObjectNode o ? o : null,
                tags);
      } catch (IllegalArgumentException e) {
        return ToolResult.failure(ToolFailureKind.INVALID_ARGUMENTS, e.getMessage());
      }
      try {
        MemoryItem item = m.store().put(m.space(scope), w);
        ObjectNode out = JSON.createObjectNode();
        out.put("key", item.key());
        out.put("scope", scope.configName());
        out.put("created", item.created().toString());
        out.put("updated", item.updated().toString());
        return ToolResult.success(out);
      } catch (MemoryException e) {
        return ToolResult.failure(e.getMessage());
      }
    }
  }

  /** {@code memory.search}: the best items for a query in the scopes the agent may read. */
  static final class Search implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "memory.search",
            "Searches memory for the items best matching a query, best first. scopes: which of"
                + " task, project, global to search (default: every scope this agent may read);"
                + " mode: sparse (words), dense (meaning) or hybrid (both; the default when"
                + " available); filter: metadata fields that must have one of the given values,"
                + " and tags every hit must carry.",
            schema(
                "{\"type\":\"object\",\"required\":[\"query\"],\"additionalProperties\":false,"
                    + "\"properties\":{"
                    + "\"query\":{\"type\":\"string\",\"minLength\":1},"
                    + "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,"
                    + "\"description\":\"how many hits at most, default 10\"},"
                    + "\"mode\":{\"type\":\"string\",\"enum\":[\"sparse\",\"dense\",\"hybrid\"]},"
                    + "\"scopes\":{\"type\":\"array\",\"items\":"
                    + SCOPE_SCHEMA
                    + "},"
                    + "\"filter\":{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"properties\":{"
                    + "\"metadata\":{\"type\":\"object\",\"additionalProperties\":"
                    + "{\"anyOf\":[{\"type\":[\"string\",\"number\",\"boolean\"]},"
                    + "{\"type\":\"array\",\"minItems\":1,"
                    + "\"items\":{\"type\":[\"string\",\"number\",\"boolean\"]}}]}},"
                    + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}"
                    + "}}"),
            Set.of(),
            Effect.NONE,
            List.of("memory", "search"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      JsonNode a = call.arguments();
      MemoryAccess m = context.memory();
      Set<MemoryScope> scopes = new LinkedHashSet<>();
      if (a.has("scopes")) {
        for (JsonNode s : a.get("scopes")) scopes.add(MemoryScope.parse(s.asText()));
        for (MemoryScope s : scopes) {
          if (!m.read().contains(s)) return denied(call, "read", s, m.read());
        }
      } else {
        for (MemoryScope s : MemoryScope.values()) if (m.read().contains(s)) scopes.add(s);
      }
      if (scopes.isEmpty())
        return ToolResult.failure(
            ToolFailureKind.DENIED,
            "memory.search: this agent may read no scope of memory (its memory.read is empty)");
      List<MemorySpace> spaces = new ArrayList<>();
      for (MemoryScope s : scopes) spaces.add(m.space(s));
      try {
        MemoryQuery q =
            new MemoryQuery(
                a.get("query").asText(),
                a.path("k").asInt(10),
                spaces,
                a.hasNonNull("mode") ? SearchMode.parse(a.get("mode").asText()) : null,
                filter(a.path("filter")),
                dev.agentrt.core.memory.Fusion.rrf(),
                MemoryQuery.DEFAULT_RERANK_FACTOR);
        List<MemoryHit> hits = m.store().search(q);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode arr = out.putArray("hits");
        for (MemoryHit h : hits) arr.add(hit(h));
        return ToolResult.success(out);
      } catch (IllegalArgumentException e) {
        return ToolResult.failure(ToolFailureKind.INVALID_ARGUMENTS, e.getMessage());
      } catch (MemoryException e) {
        return ToolResult.failure(e.getMessage());
      }
    }

    private static MemoryFilter filter(JsonNode f) {
      Map<String, Set<String>> meta = new TreeMap<>();
      JsonNode m = f.path("metadata");
      for (Map.Entry<String, JsonNode> e : m.properties()) {
        Set<String> values = new LinkedHashSet<>();
        if (e.getValue().isArray()) e.getValue().forEach(v -> values.add(v.asText()));
        else values.add(e.getValue().asText());
        meta.put(e.getKey(), values);
      }
      Set<String> tags = new LinkedHashSet<>();
      f.path("tags").forEach(t -> tags.add(t.asText()));
      return new MemoryFilter(meta, tags);
    }

    private static ObjectNode hit(MemoryHit h) {
      ObjectNode o = JSON.createObjectNode();
      MemoryItem i = h.item();
      o.put("key", i.key());
      o.put("scope", i.space().scope().configName());
      o.put("text", i.text());
      o.set("metadata", i.metadata());
      ArrayNode tags = o.putArray("tags");
      i.tags().forEach(tags::add);
      o.put("fused_score", h.fusedScore());
      putNumber(o, "dense_score", h.denseScore());
      putNumber(o, "sparse_score", h.sparseScore());
      putNumber(o, "dense_rank", h.denseRank());
      putNumber(o, "sparse_rank", h.sparseRank());
      return o;
    }

    private static void putNumber(ObjectNode o, String field, @Nullable Number n) {
      if (n == null) o.putNull(field);
      else if (n instanceof Integer i) o.put(field, i);
      else o.put(field, n.doubleValue());
    }
  }

  private static ToolResult denied(
      ToolCall call, String what, MemoryScope scope, Set<MemoryScope> allowed) {
    return ToolResult.failure(
        ToolFailureKind.DENIED,
        call.tool()
            + ": this agent may not "
            + what
            + " memory scope '"
            + scope.configName()
            + "' (its memory."
            + what
            + " allows: "
            + (allowed.isEmpty()
                ? "none"
                : allowed.stream()
                    .sorted()
                    .map(MemoryScope::configName)
                    .collect(Collectors.joining(", ")))
            + "; change memory: in the agent's file)");
  }
}
