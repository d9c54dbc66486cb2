package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.manifest.ContextProfileSpec.MemorySection;
import dev.agentrt.core.manifest.ContextProfileSpec.Section;
import dev.agentrt.core.manifest.ContextProfileSpec.Truncate;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code context_profiles:} in config.yml and {@code context_profile:} in agent files. */
class ContextProfilesConfigTest {
  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir).workflow(ConfigSectionsTest.WF);
  }

  @Test
  void load_profile_bindsTypedRecordAndAgentChoosesIt() {
    fx.config(
        """
        context_profiles:
          coder:
            max_tokens: 8000
            sections: [system, input, memory, messages, loop_status]
            truncate: lowest_score_first
            memory: {k: 8, scopes: [task, project], query: "{{input.request}}", mode: hybrid}
          small:
            max_tokens: 100
            sections: [system, input]
        """);
    fx.agent("a", "name: a\ncontext_profile: coder\n");

    Manifests m = fx.load();

    ContextProfileSpec coder = m.config().contextProfilesOrEmpty().get("coder");
    assertThat(coder)
        .isEqualTo(
            new ContextProfileSpec(
                8000,
                List.of(
                    Section.SYSTEM,
                    Section.INPUT,
                    Section.MEMORY,
                    Section.MESSAGES,
                    Section.LOOP_STATUS),
                Truncate.LOWEST_SCORE_FIRST,
                new MemorySection(8, List.of("task", "project"), "{{input.request}}", "hybrid")));
    ContextProfileSpec small = m.config().contextProfilesOrEmpty().get("small");
    assertThat(small.truncateOrDefault()).isEqualTo(Truncate.OLDEST_FIRST);
    assertThat(m.agent("a").orElseThrow().contextProfile()).isEqualTo("coder");
  }

  @Test
  void load_noProfiles_emptyAndAgentsWithoutProfileLoad() {
    fx.agent("a", "name: a\n");

    Manifests m = fx.load();

    assertThat(m.config().contextProfilesOrEmpty()).isEmpty();
    assertThat(m.agent("a").orElseThrow().contextProfile()).isNull();
  }

  @Test
  void load_agentNamesUnknownProfile_reportsDidYouMeanAtTheKey() {
    fx.config("context_profiles:\n  coder: {max_tokens: 10, sections: [input]}\n");
    String agent = "name: a\ncontext_profile: codr\n";
    fx.agent("a", agent);

    assertThat(fx.problems())
        .containsExactly(
            "agents/a.yml:"
                + at(agent, "codr")
                + ": agent 'a': context profile 'codr' is not defined in config.yml"
                + " context_profiles (did you mean 'coder'?)");
  }

  @Test
  void load_agentNamesProfileButNoneDefined_saysToAddTheSection() {
    String agent = "name: a\ncontext_profile: coder\n";
    fx.agent("a", agent);

    assertThat(fx.problems())
        .containsExactly(
            "agents/a.yml:"
                + at(agent, "coder")
                + ": agent 'a': context profile 'coder' is not defined in config.yml"
                + " context_profiles (add a context_profiles: section)");
  }

  @Test
  void load_profileSearchesAScopeTheAgentMayNotRead_reportsItAtTheProfileKey() {
    fx.config(
        "context_profiles:\n"
            + "  wide: {max_tokens: 100, sections: [input, memory],"
            + " memory: {k: 2, scopes: [project, global], query: x}}\n");
    String narrow = "name: a\nmemory: {read: [project]}\ncontext_profile: wide\n";
    fx.agent("a", narrow);
    // without memory.read the agent reads task and project
    String defaults = "name: b\ncontext_profile: wide\n";
    fx.agent("b", defaults);
    String allowed = "name: c\nmemory: {read: [project, global]}\ncontext_profile: wide\n";
    fx.agent("c", allowed);

    assertThat(fx.problems())
        .containsExactlyInAnyOrder(
            "agents/a.yml:"
                + at(narrow, "wide")
                + ": agent 'a': context profile 'wide' searches memory scope global, which the"
                + " agent may not read (memory.read: project): add it to the agent's memory.read,"
                + " or use a profile that searches only those scopes",
            "agents/b.yml:"
                + at(defaults, "wide")
                + ": agent 'b': context profile 'wide' searches memory scope global, which the"
                + " agent may not read (memory.read: task, project): add it to the agent's"
                + " memory.read, or use a profile that searches only those scopes");
  }

  record Case(String config, String needle, String message) {}

  static Stream<Arguments> badProfiles() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "unknown section",
                new Case(
                    "context_profiles:\n  p: {max_tokens: 10, sections: [input, memroy]}\n",
                    "memroy",
                    "context_profiles.p.sections[1]: 'memroy' is not one of system, input,"
                        + " messages, loop_status, memory (did you mean 'memory'?)"))),
        Arguments.of(
            Named.of(
                "unknown truncate rule",
                new Case(
                    "context_profiles:\n  p: {max_tokens: 10, sections: [input], truncate: oldest}\n",
                    "oldest}",
                    "context_profiles.p.truncate: 'oldest' is not one of oldest_first,"
                        + " lowest_score_first"))),
        Arguments.of(
            Named.of(
                "unknown key",
                new Case(
                    "context_profiles:\n  p:\n    max_tokens: 10\n    sections: [input]\n    truncat: oldest_first\n",
                    "truncat",
                    "context_profiles.p: unknown key 'truncat' (did you mean 'truncate'?)"))),
        Arguments.of(
            Named.of(
                "max_tokens zero",
                new Case(
                    "context_profiles:\n  p: {max_tokens: 0, sections: [input]}\n",
                    "0,",
                    "context_profiles.p.max_tokens: must be greater than 0 (found '0')"))),
        Arguments.of(
            Named.of(
                "section twice",
                new Case(
                    "context_profiles:\n  p: {max_tokens: 10, sections: [input, system, input]}\n",
                    "input]",
                    "context_profiles.p.sections[2]: 'input' is listed twice (list each section"
                        + " once)"))),
        Arguments.of(
            Named.of(
                "input missing",
                new Case(
                    "context_profiles:\n  p: {max_tokens: 10, sections: [system]}\n",
                    "[system]",
                    "context_profiles.p.sections: 'input' is missing (the agent would not see its"
                        + " input; add input)"))),
        Arguments.of(
            Named.of(
                "memory listed without search",
                new Case(
                    "context_profiles:\n  p: {max_tokens: 10, sections: [input, memory]}\n",
                    "[input, memory]",
                    "context_profiles.p.sections: 'memory' is listed but the profile has no"
                        + " memory: search (add memory: {k: 5, scopes: [task], query:"
                        + " \"{{input...}}\"})"))),
        Arguments.of(
            Named.of(
                "search without memory section",
                new Case(
                    "context_profiles:\n  p:\n    max_tokens: 10\n    sections: [input]\n    memory: {k: 3, query: x}\n",
                    "{k: 3",
                    "context_profiles.p.memory: the search is never used because sections does"
                        + " not list 'memory' (add memory to sections, or remove memory:)"))),
        Arguments.of(
            Named.of(
                "unknown scope",
                new Case(
                    "context_profiles:\n  p:\n    max_tokens: 10\n    sections: [input, memory]\n    memory: {k: 3, query: x, scopes: [projet]}\n",
                    "projet",
                    "context_profiles.p.memory.scopes[0]: must be 'task', 'project' or 'global'"
                        + " (found 'projet')"))),
        Arguments.of(
            Named.of(
                "unknown mode",
                new Case(
                    "context_profiles:\n  p:\n    max_tokens: 10\n    sections: [input, memory]\n    memory: {k: 3, query: x, mode: fuzzy}\n",
                    "fuzzy",
                    "context_profiles.p.memory.mode: must be 'sparse', 'dense' or 'hybrid'"
                        + " (found 'fuzzy')"))),
        Arguments.of(
            Named.of(
                "k missing",
                new Case(
                    "context_profiles:\n  p:\n    max_tokens: 10\n    sections: [input, memory]\n    memory: {query: x}\n",
                    "{query",
                    "context_profiles.p.memory.k: is required"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProfiles")
  void load_badProfile_reportsTheKeyAtItsLineAndColumn(Case c) {
    fx.config(c.config());

    assertThat(fx.problems())
        .containsExactly("config.yml:" + at(c.config(), c.needle()) + ": " + c.message());
  }
}
