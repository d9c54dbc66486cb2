package dev.agentrt.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.agentrt.core.manifest.ContextProfileSpec;
import dev.agentrt.core.manifest.ContextProfileSpec.MemorySection;
import dev.agentrt.core.manifest.ContextProfileSpec.Section;
import dev.agentrt.core.manifest.ContextProfileSpec.Truncate;
import dev.agentrt.llm.internal.ContextAssembler.Assembly;
import dev.agentrt.llm.internal.ContextAssembler.Hit;
import dev.agentrt.llm.internal.ContextAssembler.Parts;
import dev.agentrt.llm.spi.TokenCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Fitting sections into a token budget, with counts checked against jtokkit directly. */
class ContextAssemblerTest {
  static final Encoding CL100K =
      Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  static final TokenCounter COUNTER = TokenCounter.forModel(null);
  static final List<Section> ALL =
      List.of(Section.SYSTEM, Section.INPUT, Section.MEMORY, Section.MESSAGES, Section.LOOP_STATUS);
  static final String SYSTEM = "You are a careful reviewer of Java changes.";
  static final String INPUT = "Review the change to the retry policy in StepRunner.";
  static final String LOOPS = "Loops in this workflow:\n- revise: iteration 1 of 2 (1 remaining)";

  static List<JsonNode> messages(int n) {
    List<JsonNode> l = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      l.add(
          JsonNodeFactory.instance
              .objectNode()
              .put("from", "planner")
              .put("text", "note number " + i + " about the retry backoff and its jitter"));
    }
    return l;
  }

  static List<Hit> hits() {
    return List.of(
        new Hit("project", "k-high", 0.9, "the retry policy doubles the delay up to 8 seconds"),
        new Hit("project", "k-mid", 0.5, "StepRunner retries only retryable failures"),
        new Hit("task", "k-low", 0.1, "an earlier review asked for jitter"));
  }

  static ContextProfileSpec profile(int max, Truncate truncate) {
    return new ContextProfileSpec(max, ALL, truncate, new MemorySection(3, null, "q", null));
  }

  static Parts parts(int messages) {
    return new Parts(SYSTEM, INPUT, LOOPS, messages(messages), "retry policy", hits());
  }

  static int exact(Assembly a) {
    return CL100K.countTokensOrdinary(a.system()) + CL100K.countTokensOrdinary(a.user());
  }

  /** The tokens of everything, uncut. */
  static int uncut(Parts p) throws Exception {
    return ContextAssembler.assemble("p", profile(100_000, Truncate.OLDEST_FIRST), COUNTER, p)
        .tokens();
  }

  @Test
  void assemble_underBudget_keepsEverySectionInProfileOrderUncut() throws Exception {
    Assembly a =
        ContextAssembler.assemble("p", profile(100_000, Truncate.OLDEST_FIRST), COUNTER, parts(2));

    assertThat(a.system()).isEqualTo(SYSTEM);
    assertThat(a.user())
        .isEqualTo(
            INPUT
                + "\n\nFrom memory (best first):"
                + "\n- [project/k-high] the retry policy doubles the delay up to 8 seconds"
                + "\n- [project/k-mid] StepRunner retries only retryable failures"
                + "\n- [task/k-low] an earlier review asked for jitter"
                + "\n\nMessages from other agents (oldest first):"
                + "\n- from planner: note number 1 about the retry backoff and its jitter"
                + "\n- from planner: note number 2 about the retry backoff and its jitter"
                + "\n\n"
                + LOOPS);
    assertThat(a.tokens()).isEqualTo(exact(a));
    assertThat(a.cut()).containsValues(0, 0, 0, 0, 0);
    assertThat(a.report().path("sections").findValuesAsText("section"))
        .containsExactly("system", "input", "memory", "messages", "loop_status");
    assertThat(a.report().path("sections").get(0).path("tokens").asInt())
        .isEqualTo(CL100K.countTokensOrdinary(SYSTEM));
    assertThat(a.report().path("sections").get(1).path("tokens").asInt())
        .isEqualTo(CL100K.countTokensOrdinary(INPUT));
  }

  @Test
  void assemble_oldestFirst_cutsOldestMessagesOnlyAndFitsExactly() throws Exception {
    Parts p = parts(6);
    int perMessage = uncut(parts(6)) - uncut(parts(5));
    // room for everything except about three and a half messages
    int max = uncut(p) - 3 * perMessage - perMessage / 2;

    Assembly a = ContextAssembler.assemble("p", profile(max, Truncate.OLDEST_FIRST), COUNTER, p);

    assertThat(a.tokens()).isEqualTo(exact(a)).isLessThanOrEqualTo(max);
    assertThat(a.cut().get(Section.MESSAGES)).isEqualTo(4);
    assertThat(a.cut().get(Section.MEMORY)).isZero();
    assertThat(a.cut().get(Section.LOOP_STATUS)).isZero();
    assertThat(a.user())
        .doesNotContain("note number 4 ")
        .contains("note number 5 ", "note number 6 ", "[task/k-low]");
    // the fewest cuts: keeping one more (the 4th message) would not fit
    Assembly oneMore =
        ContextAssembler.assemble(
            "p",
            profile(100_000, Truncate.OLDEST_FIRST),
            COUNTER,
            new Parts(SYSTEM, INPUT, LOOPS, messages(6).subList(3, 6), "retry policy", hits()));
    assertThat(oneMore.tokens()).isGreaterThan(max);
    assertThat(a.report().path("sections").get(3).path("kept").asInt()).isEqualTo(2);
    assertThat(a.report().path("sections").get(3).path("cut").asInt()).isEqualTo(4);
  }

  @Test
  void assemble_manyMessages_keepsTheMostNewestThatFit() throws Exception {
    List<JsonNode> many = messages(500);
    Parts p = new Parts(SYSTEM, INPUT, LOOPS, many, "retry policy", hits());
    int max = 2_000;

    Assembly a = ContextAssembler.assemble("p", profile(max, Truncate.OLDEST_FIRST), COUNTER, p);

    int kept = 500 - a.cut().get(Section.MESSAGES);
    assertThat(kept).isBetween(1, 499);
    assertThat(a.tokens()).isEqualTo(exact(a)).isLessThanOrEqualTo(max);
    assertThat(a.user())
        .contains("note number 500 ")
        .doesNotContain("note number " + (500 - kept) + " ");
    Assembly oneMore =
        ContextAssembler.assemble(
            "p",
            profile(100_000, Truncate.OLDEST_FIRST),
            COUNTER,
            new Parts(
                SYSTEM, INPUT, LOOPS, many.subList(500 - kept - 1, 500), "retry policy", hits()));
    assertThat(oneMore.tokens()).isGreaterThan(max);
  }

  @Test
  void assemble_lowestScoreFirst_cutsLowestScoringHitsBeforeMessages() throws Exception {
    Parts p = parts(2);
    int max = uncut(p) - 1; // one cut is enough

    Assembly a =
        ContextAssembler.assemble("p", profile(max, Truncate.LOWEST_SCORE_FIRST), COUNTER, p);

    assertThat(a.tokens()).isEqualTo(exact(a)).isLessThanOrEqualTo(max);
    assertThat(a.cut().get(Section.MEMORY)).isEqualTo(1);
    assertThat(a.cut().get(Section.MESSAGES)).isZero();
    assertThat(a.user()).contains("[project/k-high]", "[project/k-mid]").doesNotContain("k-low");
    JsonNode memory = a.report().path("sections").get(2);
    assertThat(memory.path("query").asText()).isEqualTo("retry policy");
    assertThat(memory.path("hits").findValuesAsText("key"))
        .containsExactly("k-high", "k-mid", "k-low");
    assertThat(memory.path("hits").findValues("kept"))
        .extracting(JsonNode::asBoolean)
        .containsExactly(true, true, false);
    assertThat(memory.path("hits").get(2).path("score").asDouble()).isEqualTo(0.1);
  }

  @Test
  void assemble_everyCuttableCut_cutsLoopStatusLastAndKeepsSystemAndInput() throws Exception {
    Parts p = parts(3);
    int max = CL100K.countTokensOrdinary(SYSTEM) + CL100K.countTokensOrdinary(INPUT);

    Assembly a = ContextAssembler.assemble("p", profile(max, Truncate.OLDEST_FIRST), COUNTER, p);

    assertThat(a.system()).isEqualTo(SYSTEM);
    assertThat(a.user()).isEqualTo(INPUT);
    assertThat(a.tokens()).isEqualTo(max);
    assertThat(a.cut().get(Section.MESSAGES)).isEqualTo(3);
    assertThat(a.cut().get(Section.MEMORY)).isEqualTo(3);
    assertThat(a.cut().get(Section.LOOP_STATUS)).isEqualTo(1);
  }

  @Test
  void assemble_systemAndInputOverBudget_failsNamingProfileAndCounts() {
    int system = CL100K.countTokensOrdinary(SYSTEM);
    int input = CL100K.countTokensOrdinary(INPUT);
    int max = system + input - 1;

    assertThatThrownBy(
            () ->
                ContextAssembler.assemble(
                    "coder", profile(max, Truncate.OLDEST_FIRST), COUNTER, parts(2)))
        .isInstanceOf(ContextAssembler.TooLarge.class)
        .hasMessage(
            "context profile 'coder': the system prompt ("
                + system
                + " tokens) and the input ("
                + input
                + " tokens) alone are "
                + (system + input)
                + " tokens, over max_tokens "
                + max
                + " (cl100k_base; raise context_profiles.coder.max_tokens in config.yml, or"
                + " shorten the system prompt or the input)");
  }

  @Test
  void assemble_twiceAndWithHitsInAnotherOrder_identicalPromptAndReport() throws Exception {
    Parts p = parts(6);
    int max = uncut(p) - 40;
    List<Hit> shuffled = new ArrayList<>(hits());
    Collections.shuffle(shuffled, new Random(7));
    Parts same = new Parts(SYSTEM, INPUT, LOOPS, messages(6), "retry policy", shuffled);

    Assembly first =
        ContextAssembler.assemble("p", profile(max, Truncate.OLDEST_FIRST), COUNTER, p);
    Assembly second =
        ContextAssembler.assemble("p", profile(max, Truncate.OLDEST_FIRST), COUNTER, same);

    assertThat(second.user()).isEqualTo(first.user());
    assertThat(second.report()).isEqualTo(first.report());
    assertThat(first.cut().get(Section.MESSAGES)).isPositive();
  }

  @Test
  void recordedHits_ofReport_giveTheSameAssembly() throws Exception {
    Parts p = parts(2);
    int max = uncut(p) - 1;
    ContextProfileSpec profile = profile(max, Truncate.LOWEST_SCORE_FIRST);
    Assembly first = ContextAssembler.assemble("p", profile, COUNTER, p);
    // the report as a store gives it back: serialized and parsed
    JsonNode stored =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.report().toString());

    Assembly again =
        ContextAssembler.assemble(
            "p",
            profile,
            COUNTER,
            new Parts(
                SYSTEM,
                INPUT,
                LOOPS,
                messages(2),
                ContextAssembler.recordedQuery(stored),
                ContextAssembler.recordedHits(stored)));

    assertThat(again.user()).isEqualTo(first.user());
    assertThat(again.report()).isEqualTo(first.report());
  }

  @Test
  void profileWithoutMessagesSection_leavesMessagesOutAndReportsOnlyListedSections()
      throws Exception {
    ContextProfileSpec p =
        new ContextProfileSpec(1000, List.of(Section.INPUT, Section.SYSTEM), null, null);

    Assembly a = ContextAssembler.assemble("p", p, COUNTER, parts(3));

    assertThat(a.user()).isEqualTo(INPUT);
    assertThat(a.system()).isEqualTo(SYSTEM);
    assertThat(
            a.report().path("sections").findValuesAsText("section").stream()
                .collect(Collectors.toList()))
        .containsExactly("input", "system");
  }

  @Test
  void forModel_openAiFamilies_chooseTheirEncodingOthersEstimateWithCl100k() {
    assertThat(TokenCounter.forModel("gpt-4o-mini").encoding()).isEqualTo("o200k_base");
    assertThat(TokenCounter.forModel("gpt-4.1").encoding()).isEqualTo("o200k_base");
    assertThat(TokenCounter.forModel("o3-mini").encoding()).isEqualTo("o200k_base");
    assertThat(TokenCounter.forModel("gpt-4-turbo").encoding()).isEqualTo("cl100k_base");
    assertThat(TokenCounter.forModel("gpt-3.5-turbo").encoding()).isEqualTo("cl100k_base");
    assertThat(TokenCounter.forModel("claude-sonnet-4").encoding()).isEqualTo("cl100k_base");
    assertThat(TokenCounter.forModel(null).encoding()).isEqualTo("cl100k_base");
    String text = "Tokens are counted, not characters: ünïcödé too.";
    assertThat(TokenCounter.forModel("gpt-4o").count(text))
        .isEqualTo(
            Encodings.newDefaultEncodingRegistry()
                .getEncoding(EncodingType.O200K_BASE)
                .countTokensOrdinary(text));
    assertThat(TokenCounter.forModel(null).count(text)).isEqualTo(CL100K.countTokensOrdinary(text));
  }
}
