package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.Templates;
import dev.agentrt.core.manifest.ContextProfileSpec;
import dev.agentrt.core.manifest.ContextProfileSpec.Section;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.memory.SearchMode;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.llm.spi.TokenCounter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The context of an agent with a profile: gathers the sections (searching memory, or on a resumed
 * step taking the hits recorded with its first LLM call), fits them with {@link ContextAssembler}
 * and traces both ({@code agentrt.context.assemble}, {@code agentrt.memory.search}). Thread-safe.
 */
public final class ContextParts {
  /** The profile's name. */
  public static final AttributeKey<String> PROFILE =
      AttributeKey.stringKey("agentrt.context.profile");

  public static final AttributeKey<Long> MAX_TOKENS =
      AttributeKey.longKey("agentrt.context.max_tokens");

  /** The count of the whole prompt (system and user message). */
  public static final AttributeKey<Long> TOKENS = AttributeKey.longKey("agentrt.context.tokens");

  public static final AttributeKey<String> ENCODING =
      AttributeKey.stringKey("agentrt.context.encoding");

  /** Whether the memory hits came from the step's recorded first LLM call (a resumed step). */
  public static final AttributeKey<Boolean> REPLAYED =
      AttributeKey.booleanKey("agentrt.context.replayed");

  public static final AttributeKey<String> MEMORY_MODE =
      AttributeKey.stringKey("agentrt.memory.mode");
  public static final AttributeKey<Long> MEMORY_K = AttributeKey.longKey("agentrt.memory.k");
  public static final AttributeKey<Long> MEMORY_HITS = AttributeKey.longKey("agentrt.memory.hits");
  public static final AttributeKey<List<String>> MEMORY_SCOPES =
      AttributeKey.stringArrayKey("agentrt.memory.scopes");

  /** {@code agentrt.context.tokens.<section>}: the count of one section as it went in. */
  public static AttributeKey<Long> sectionTokens(Section s) {
    return AttributeKey.longKey("agentrt.context.tokens." + s.yamlName());
  }

  /** {@code agentrt.context.cut.<section>}: how many items of one section were cut. */
  public static AttributeKey<Long> sectionCut(Section s) {
    return AttributeKey.longKey("agentrt.context.cut." + s.yamlName());
  }

  private final MemoryStore memory;
  private final Function<MemoryScope, MemorySpace> sharedSpaces;
  private final Tracer tracer;

  /**
   * @param sharedSpaces the project and global spaces (the task space is the run's)
   */
  public ContextParts(
      MemoryStore memory, Function<MemoryScope, MemorySpace> sharedSpaces, Tracer tracer) {
    this.memory = memory;
    this.sharedSpaces = sharedSpaces;
    this.tracer = tracer;
  }

  /**
   * The parts that do not come from memory.
   *
   * @param system the rendered system prompt, empty if none
   * @param input the node's input as the user message shows it
   * @param loopStatus the loop status block, empty if none
   * @param messages messages from other agents, oldest first
   */
  public record Sections(String system, String input, String loopStatus, List<JsonNode> messages) {
    /** Copies the list. */
    public Sections {
      messages = List.copyOf(messages);
    }
  }

  /** The fitted prompt and what to record with the step's first LLM call. */
  public record Prompt(String system, String user, ObjectNode report) {}

  /** The step cannot have its context: the message says why and what to change. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Fits the agent's context into {@code profile}.
   *
   * @param where {@code node 'x': agent 'a'}, to begin messages
   * @throws Failure if the system prompt and input alone are over budget, the query template reads
   *     a path missing from state, or the memory search fails
   */
  public Prompt assemble(
      String where,
      String profileName,
      ContextProfileSpec profile,
      TokenCounter counter,
      Sections sections,
      NodeInput input,
      NodeContext ctx)
      throws Failure {
    String subject = where + ": context profile '" + profileName + "'";
    Span span =
        tracer
            .spanBuilder("agentrt.context.assemble")
            .setAttribute(PROFILE, profileName)
            .setAttribute(MAX_TOKENS, profile.maxTokens().longValue())
            .setAttribute(ENCODING, counter.encoding())
            .startSpan();
    Scope current = span.makeCurrent();
    try {
      String query = null;
      List<ContextAssembler.Hit> hits = List.of();
      ContextProfileSpec.MemorySection m = profile.memory();
      if (profile.sections().contains(Section.MEMORY) && m != null) {
        Optional<JsonNode> recorded = recorded(ctx);
        span.setAttribute(REPLAYED, recorded.isPresent());
        if (recorded.isPresent()) {
          // a resumed step: the prompt the first execution sent, without searching again
          query = ContextAssembler.recordedQuery(recorded.get());
          hits = ContextAssembler.recordedHits(recorded.get());
        } else {
          query = query(subject, m.query(), input);
          if (!query.isBlank()) hits = search(subject, m, query, ctx.runId());
        }
      }
      ContextAssembler.Assembly a =
          ContextAssembler.assemble(
              profileName,
              profile,
              counter,
              new ContextAssembler.Parts(
                  sections.system(),
                  sections.input(),
                  sections.loopStatus(),
                  sections.messages(),
                  query,
                  hits));
      span.setAttribute(TOKENS, (long) a.tokens());
      for (Map.Entry<Section, Integer> e : a.sectionTokens().entrySet())
        span.setAttribute(sectionTokens(e.getKey()), (long) e.getValue());
      for (Map.Entry<Section, Integer> e : a.cut().entrySet()) {
        Section s = e.getKey();
        if (s == Section.MESSAGES || s == Section.MEMORY || s == Section.LOOP_STATUS)
          span.setAttribute(sectionCut(s), (long) e.getValue());
      }
      return new Prompt(a.system(), a.user(), a.report());
    } catch (ContextAssembler.TooLarge e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw new Failure(where + ": " + e.getMessage(), null);
    } catch (Failure e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      current.close();
      span.end();
    }
  }

  /** The context report recorded with this step's first LLM call by an earlier execution. */
  private static Optional<JsonNode> recorded(NodeContext ctx) {
    Optional<CallRecord> first = ctx.calls().replayed(0);
    if (first.isEmpty() || first.get().kind() != CallKind.LLM) return Optional.empty();
    JsonNode report = first.get().request().path("context");
    return report.isObject() ? Optional.of(report) : Optional.empty();
  }

  private static String query(String subject, String template, NodeInput input) throws Failure {
    try {
      JsonNode v = Templates.compile(TextNode.valueOf(template)).evaluate(input);
      return v.isTextual() ? v.asText() : v.toString();
    } catch (Templates.MissingPathException | IllegalArgumentException e) {
      throw new Failure(subject + ": memory.query: " + e.getMessage(), null);
    }
  }

  private List<ContextAssembler.Hit> search(
      String subject, ContextProfileSpec.MemorySection m, String query, String runId)
      throws Failure {
    List<MemorySpace> spaces = new ArrayList<>();
    for (String name : m.scopesOrDefault()) {
      MemoryScope scope = MemoryScope.parse(name);
      spaces.add(scope == MemoryScope.TASK ? MemorySpace.task(runId) : sharedSpaces.apply(scope));
    }
    SearchMode mode = m.mode() == null ? null : SearchMode.parse(m.mode());
    Span span =
        tracer
            .spanBuilder("agentrt.memory.search")
            .setAttribute(MEMORY_MODE, mode == null ? "default" : mode.configName())
            .setAttribute(MEMORY_K, m.k().longValue())
            .setAttribute(MEMORY_SCOPES, m.scopesOrDefault())
            .startSpan();
    // the query is content: exported in debug mode only (agent-telemetry drops it otherwise)
    if (span.isRecording()) span.addEvent(GenAi.PROMPT_EVENT, Attributes.of(GenAi.PROMPT, query));
    Scope current = span.makeCurrent();
    try {
      MemoryQuery q =
          new MemoryQuery(
              query,
              m.k(),
              spaces,
              mode,
              dev.agentrt.core.memory.MemoryFilter.NONE,
              dev.agentrt.core.memory.Fusion.rrf(),
              MemoryQuery.DEFAULT_RERANK_FACTOR);
      List<MemoryHit> found = memory.search(q);
      span.setAttribute(MEMORY_HITS, (long) found.size());
      List<ContextAssembler.Hit> hits = new ArrayList<>();
      for (MemoryHit h : found) {
        hits.add(
            new ContextAssembler.Hit(
                h.item().space().scope().configName(),
                h.item().key(),
                h.fusedScore(),
                h.item().text()));
      }
      return hits;
    } catch (MemoryException | IllegalArgumentException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw new Failure(subject + ": memory search failed: " + e.getMessage(), e);
    } finally {
      current.close();
      span.end();
    }
  }
}
