package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Run state as top-level keys (input, node ids, $loops, ...) over an optional parent: a branch or
 * split item writes its own layer and reads through to the state at the fork, so no step copies the
 * state. Not thread-safe: one layer is written by one walker at a time.
 */
final class StateMap {
  private final @Nullable StateMap parent;
  private final HashMap<String, JsonNode> local = new HashMap<>();

  StateMap(@Nullable StateMap parent) {
    this.parent = parent;
  }

  JsonNode get(String key) {
    JsonNode v = local.get(key);
    if (v != null) return v;
    return parent == null ? MissingNode.getInstance() : parent.get(key);
  }

  void put(String key, JsonNode value) {
    local.put(key, value);
  }

  Map<String, JsonNode> local() {
    return local;
  }

  /** The whole state as one object (a shallow copy: values are shared). */
  ObjectNode materialize() {
    ObjectNode o = parent == null ? Json.NODES.objectNode() : parent.materialize();
    local.forEach(o::set);
    return o;
  }
}
