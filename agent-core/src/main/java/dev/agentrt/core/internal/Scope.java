package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.internal.CompiledWorkflow.CNode;
import io.opentelemetry.context.Context;
import java.util.Arrays;
import java.util.HashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** One sequential path of execution: the top level, a branch, a split item or a sub-workflow. */
final class Scope {
  final RunExecution run;
  final @Nullable ForkGroup group;
  final CompiledWorkflow wf;
  final String prefix;
  final int[] basePos;
  final StateMap state;
  final Function<String, JsonNode> roots;
  private final HashMap<String, Integer> visits = new HashMap<>();

  /** Times each loop edge was taken in this scope. */
  final HashMap<String, Integer> loops = new HashMap<>();

  private int seq;

  /** The trace context steps of this scope are children of; null when tracing is off. */
  final @Nullable Context otel;

  Scope(
      RunExecution run,
      @Nullable ForkGroup group,
      CompiledWorkflow wf,
      String prefix,
      int[] basePos,
      StateMap state,
      @Nullable Context otel) {
    this.run = run;
    this.otel = otel;
    this.group = group;
    this.wf = wf;
    this.prefix = prefix;
    this.basePos = basePos;
    this.state = state;
    this.roots = state::get;
  }

  int[] nextPos() {
    int[] p = Arrays.copyOf(basePos, basePos.length + 1);
    p[basePos.length] = seq++;
    return p;
  }

  String key(CNode node) {
    int visit = visits.merge(node.id, 1, Integer::sum) - 1;
    if (!prefix.isEmpty()) return prefix + node.keyBase + visit;
    return visit < CNode.FIRST_KEYS ? node.firstKeys[visit] : node.keyBase + visit;
  }

  boolean cancelled() {
    return run.isStopping() || (group != null && group.isCancelled());
  }
}
