package dev.agentrt.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.manifest.ContextProfileSpec;
import dev.agentrt.core.manifest.ContextProfileSpec.Section;
import dev.agentrt.core.manifest.ContextProfileSpec.Truncate;
import dev.agentrt.llm.spi.TokenCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Fits an agent's prompt into its context profile: the sections in profile order ({@code system} is
 * the system message, the others the user message, separated by blank lines), cut item by item per
 * the profile's {@code truncate} rule until the system and user messages together count at most
 * {@code max_tokens}. The system prompt and the input are never cut.
 *
 * <p>Deterministic: the same parts, profile and counter give the same prompt and the same report,
 * which is what lets a resumed step rebuild the identical prompt from recorded memory hits.
 */
public final class ContextAssembler {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The heading of the messages section (as the default prompt has it). */
  static final String MESSAGES_HEADING = "Messages from other agents (oldest first):";

  /** The heading of the memory section. */
  static final String MEMORY_HEADING = "From memory (best first):";

  private ContextAssembler() {}

  /**
   * One memory hit as the prompt shows it and the record keeps it.
   *
   * @param scope the scope's config name ({@code project})
   * @param key the item's key
   * @param score the fused score it was ranked by
   * @param text the item's text
   */
  public record Hit(String scope, String key, double score, String text) {
    /** Checks the arguments. */
    public Hit {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * What the sections are made from.
   *
   * @param system the rendered system prompt, empty if the agent has none
   * @param input the user-message text of the node's input
   * @param loopStatus the loop status block ({@code Loops in this workflow: ...}), empty if none
   * @param messages messages from other agents, oldest first, as {@code {from, text}} objects
   * @param query the memory query text, null if no search was made
   * @param hits the memory hits, in any order (sorted by score here)
   */
  public record Parts(
      String system,
      String input,
      String loopStatus,
      List<JsonNode> messages,
      @Nullable String query,
      List<Hit> hits) {
    /** Copies the lists. */
    public Parts {
      messages = List.copyOf(messages);
      hits = List.copyOf(hits);
    }
  }

  /**
   * The fitted prompt.
   *
   * @param system the system message text (empty: no system message)
   * @param user the user message text
   * @param tokens the count of system and user message together
   * @param sectionTokens the count of each listed section as it went in (0 if cut or empty)
   * @param cut how many items of each listed section were cut
   * @param report what went in and what was cut, recorded with the step's first LLM call
   */
  public record Assembly(
      String system,
      String user,
      int tokens,
      Map<Section, Integer> sectionTokens,
      Map<Section, Integer> cut,
      ObjectNode report) {}

  /** The system prompt and the input alone exceed the profile's budget. */
  public static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * Fits {@code parts} into {@code profile}.
   *
   * @throws TooLarge if the system prompt and the input alone count more than {@code max_tokens}
   */
  public static Assembly assemble(
      String profileName, ContextProfileSpec profile, TokenCounter counter, Parts parts)
      throws TooLarge {
    List<Section> order = profile.sections();
    List<JsonNode> messages = order.contains(Section.MESSAGES) ? parts.messages() : List.of();
    List<Hit> hits = order.contains(Section.MEMORY) ? sorted(parts.hits()) : List.of();
    boolean hasLoop = order.contains(Section.LOOP_STATUS) && !parts.loopStatus().isEmpty();
    String system = order.contains(Section.SYSTEM) ? parts.system() : "";
    int max = profile.maxTokens();
    // the cuts in the order the rule takes them; state c = the first c cuts applied
    int cuts = messages.size() + hits.size() + (hasLoop ? 1 : 0);
    Truncate rule = profile.truncateOrDefault();
    int systemTokens = counter.count(system);
    IntUnaryOperator count =
        c ->
            systemTokens
                + counter.count(
                    user(
                        order,
                        parts,
                        messages,
                        hits,
                        state(c, rule, messages.size(), hits.size(), hasLoop)));
    int fewest = 0;
    if (count.applyAsInt(0) > max) {
      int all = count.applyAsInt(cuts);
      if (all > max) {
        int inputTokens = counter.count(parts.input());
        throw new TooLarge(
            "context profile '"
                + profileName
                + "': the system prompt ("
                + systemTokens
                + " tokens) and the input ("
                + inputTokens
                + " tokens) alone are "
                + all
                + " tokens, over max_tokens "
                + max
                + " ("
                + counter.encoding()
                + "; raise context_profiles."
                + profileName
                + ".max_tokens in config.yml, or shorten the system prompt or the input)");
      }
      // the fewest cuts that fit, by bisection: fits(hi) and !fits(lo) throughout (each cut
      // removes text, so the count falls as cuts grow; should a tokenizer ever break that, the
      // result still fits and is still deterministic)
      int lo = 0;
      int hi = cuts;
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (count.applyAsInt(mid) <= max) hi = mid;
        else lo = mid;
      }
      fewest = hi;
    }
    State s = state(fewest, rule, messages.size(), hits.size(), hasLoop);
    String user = user(order, parts, messages, hits, s);
    int total = systemTokens + counter.count(user);
    Map<Section, Integer> sectionTokens = new EnumMap<>(Section.class);
    Map<Section, Integer> cut = new EnumMap<>(Section.class);
    ObjectNode report = NODES.objectNode();
    report
        .put("profile", profileName)
        .put("max_tokens", max)
        .put("truncate", profile.truncateOrDefault().yamlName())
        .put("encoding", counter.encoding())
        .put("tokens", total);
    ArrayNode sections = report.putArray("sections");
    for (Section section : order) {
      String text = section == Section.SYSTEM ? system : block(section, parts, messages, hits, s);
      int tokens = counter.count(text);
      int kept;
      int dropped;
      switch (section) {
        case MESSAGES:
          kept = s.messagesKept;
          dropped = messages.size() - kept;
          break;
        case MEMORY:
          kept = s.hitsKept;
          dropped = hits.size() - kept;
          break;
        case LOOP_STATUS:
          kept = s.loopKept ? 1 : 0;
          dropped = hasLoop && !s.loopKept ? 1 : 0;
          break;
        default:
          kept = text.isEmpty() ? 0 : 1;
          dropped = 0;
      }
      sectionTokens.put(section, tokens);
      cut.put(section, dropped);
      ObjectNode o =
          sections
              .addObject()
              .put("section", section.yamlName())
              .put("tokens", tokens)
              .put("kept", kept)
              .put("cut", dropped);
      if (section == Section.MEMORY) {
        if (parts.query() != null) o.put("query", parts.query());
        ArrayNode hs = o.putArray("hits");
        for (int i = 0; i < hits.size(); i++) {
          Hit h = hits.get(i);
          hs.addObject()
              .put("scope", h.scope())
              .put("key", h.key())
              .put("score", h.score())
              .put("kept", i < s.hitsKept)
              .put("text", h.text());
        }
      }
    }
    return new Assembly(system, user, total, sectionTokens, cut, report);
  }

  /** The memory hits of a recorded report ({@link Assembly#report()}), empty if it has none. */
  public static List<Hit> recordedHits(JsonNode report) {
    List<Hit> hits = new ArrayList<>();
    for (JsonNode section : report.path("sections")) {
      if (!"memory".equals(section.path("section").asText())) continue;
      for (JsonNode h : section.path("hits")) {
        hits.add(
            new Hit(
                h.path("scope").asText(),
                h.path("key").asText(),
                h.path("score").asDouble(),
                h.path("text").asText()));
      }
    }
    return hits;
  }

  /** The memory query of a recorded report, null if it has none. */
  public static @Nullable String recordedQuery(JsonNode report) {
    for (JsonNode section : report.path("sections")) {
      if ("memory".equals(section.path("section").asText()) && section.has("query"))
        return section.path("query").asText();
    }
    return null;
  }

  /** Best first; ties by scope, then key, so that any store's order gives the same prompt. */
  private static List<Hit> sorted(List<Hit> hits) {
    List<Hit> l = new ArrayList<>(hits);
    l.sort(
        Comparator.comparingDouble(Hit::score)
            .reversed()
            .thenComparing(Hit::scope)
            .thenComparing(Hit::key));
    return l;
  }

  /** How much of each cuttable section is kept. */
  private static final class State {
    final int messagesKept;
    final int hitsKept;
    final boolean loopKept;

    State(int messagesKept, int hitsKept, boolean loopKept) {
      this.messagesKept = messagesKept;
      this.hitsKept = hitsKept;
      this.loopKept = loopKept;
    }
  }

  /**
   * The state after the first {@code c} cuts: the rule's section first (messages oldest first, or
   * hits lowest score first), then the other, then the loop status.
   */
  private static State state(int c, Truncate rule, int messages, int hits, boolean hasLoop) {
    int first = rule == Truncate.OLDEST_FIRST ? messages : hits;
    int second = rule == Truncate.OLDEST_FIRST ? hits : messages;
    int cutFirst = Math.min(c, first);
    int cutSecond = Math.min(c - cutFirst, second);
    boolean loopCut = c - cutFirst - cutSecond > 0;
    int cutMessages = rule == Truncate.OLDEST_FIRST ? cutFirst : cutSecond;
    int cutHits = rule == Truncate.OLDEST_FIRST ? cutSecond : cutFirst;
    return new State(messages - cutMessages, hits - cutHits, hasLoop && !loopCut);
  }

  private static String user(
      List<Section> order, Parts parts, List<JsonNode> messages, List<Hit> hits, State s) {
    StringBuilder sb = new StringBuilder();
    for (Section section : order) {
      if (section == Section.SYSTEM) continue;
      String b = block(section, parts, messages, hits, s);
      if (b.isEmpty()) continue;
      if (sb.length() > 0) sb.append("\n\n");
      sb.append(b);
    }
    return sb.toString();
  }

  /** One section of the user message as it goes in, empty when nothing of it is kept. */
  private static String block(
      Section section, Parts parts, List<JsonNode> messages, List<Hit> hits, State s) {
    switch (section) {
      case INPUT:
        return parts.input();
      case LOOP_STATUS:
        return s.loopKept ? parts.loopStatus() : "";
      case MESSAGES:
        {
          if (s.messagesKept == 0) return "";
          StringBuilder sb = new StringBuilder(MESSAGES_HEADING);
          // oldest first: the newest messagesKept
          for (JsonNode m : messages.subList(messages.size() - s.messagesKept, messages.size())) {
            sb.append("\n- from ")
                .append(m.path("from").asText())
                .append(": ")
                .append(m.path("text").asText());
          }
          return sb.toString();
        }
      case MEMORY:
        {
          if (s.hitsKept == 0) return "";
          StringBuilder sb = new StringBuilder(MEMORY_HEADING);
          for (Hit h : hits.subList(0, s.hitsKept)) {
            sb.append("\n- [")
                .append(h.scope())
                .append('/')
                .append(h.key())
                .append("] ")
                .append(h.text());
          }
          return sb.toString();
        }
      default:
        return "";
    }
  }
}
