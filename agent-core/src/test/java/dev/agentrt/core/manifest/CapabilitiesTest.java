package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.manifest.Capabilities.Entry;
import dev.agentrt.core.manifest.Capabilities.Kind;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.ToolDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capability tags on agents, nodes and tools; {@code requires:}; the registry. */
class CapabilitiesTest {
  static final String F = "workflows/x.yml:";

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  static ToolDescriptor tool(String name, String... tags) {
    return new ToolDescriptor(
            name,
            "the " + name + " tool",
            JsonNodeFactory.instance.objectNode().put("type", "object"),
            Set.of(),
            Effect.NONE)
        .withTags(tags);
  }

  /** A loader that knows kinds agent and tool and only the given tools. */
  static ManifestLoader loader(ToolDescriptor... tools) {
    ManifestLoader.Builder b = ManifestLoader.builder().discovery(false).kind("agent").kind("tool");
    for (ToolDescriptor t : tools) b.tool(t);
    return b.build();
  }

  static final String TRIAGE =
      """
      id: x
      nodes:
        - {id: start, role: start}
        - id: route
          kind: transform
          template: code
          role: decision
          requires: [REQUIRED]
        - {id: coder, kind: agent, agent: engineer, tags: [code]}
        - {id: tests, kind: tool, tool: tests.run}
        - {id: done, role: exit, description: the end}
      edges:
        - {from: start, to: route}
        - {from: route, to: coder, when: code}
        - {from: route, to: tests}
        - {from: coder, to: done}
        - {from: tests, to: done}
      """;

  static String triage(String required) {
    return TRIAGE.replace("REQUIRED", required);
  }

  void writeEngineer() {
    fx.agent("engineer", "name: engineer\ndescription: Edits code.\ntags: [specialist, files]\n");
  }

  @Test
  void load_requiresTagNothingProvides_reportsAtTheTagWithSuggestion() {
    writeEngineer();
    String y = triage("code, specialst");
    fx.workflow(y);

    assertThat(
            loader(tool("tests.run", "tests")).load(dir).problems().stream().map(Object::toString))
        .containsExactly(
            F
                + at(y, "specialst")
                + ": node 'route': requires: no agent, tool or node provides tag 'specialst'"
                + " (did you mean 'specialist'?)");
  }

  @Test
  void load_requiresTagFarFromEveryTag_listsTheProvidedTags() {
    writeEngineer();
    String y = triage("research");
    fx.workflow(y);

    assertThat(loader().load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            F
                + at(y, "research")
                + ": node 'route': requires: no agent, tool or node provides tag 'research'"
                + " (tags provided: code, files, specialist; or add it to the tags: of the agent"
                + " or node that provides it)");
  }

  @Test
  void load_requiresTagWhenNothingHasTags_saysWhereToAddThem() {
    fx.agent("engineer", "name: engineer\n");
    String y = triage("research").replace(", tags: [code]", "");
    fx.workflow(y);

    assertThat(loader().load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            F
                + at(y, "research")
                + ": node 'route': requires: no agent, tool or node provides tag 'research'"
                + " (nothing has tags yet: give the agent, tool or node that should provide it"
                + " tags: [research])");
  }

  @Test
  void load_requiresTagsOfAgentNodeAndTool_loadsWithoutProblems() {
    writeEngineer();
    fx.workflow(triage("specialist, code, tests"));

    assertThat(loader(tool("tests.run", "tests")).load(dir).problems()).isEmpty();
  }

  @Test
  void load_requiresTagOfAToolTheLoaderDoesNotKnow_isAProblem() {
    writeEngineer();
    String y = triage("tests");
    fx.workflow(y);

    assertThat(loader(tool("tests.run")).load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            F
                + at(y, "tests]")
                + ": node 'route': requires: no agent, tool or node provides tag 'tests'"
                + " (tags provided: code, files, specialist; or add it to the tags: of the agent"
                + " or node that provides it)");
  }

  @Test
  void build_requiresTagOfARegisteredTool_countsItsTags() {
    fx.function("f");
    String y =
        """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: work, kind: function, function: f, requires: [files]}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "files")
                + ": node 'work': requires: no agent, tool or node provides tag 'files'"
                + " (nothing has tags yet: give the agent, tool or node that should provide it"
                + " tags: [files])");
    assertThat(
            loader(tool("fs.read", "files")).toBuilder().function("f").build().load(dir).problems())
        .isEmpty();
  }

  @Test
  void load_tagNotALowerCaseIdentifier_isReportedAtTheTag() {
    fx.agent("engineer", "name: engineer\ntags: [code, Specialist]\n");
    String y = triage("code").replace("tags: [code]", "tags: [code, 'data transform']");
    fx.workflow(y);

    assertThat(loader().load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            "agents/engineer.yml:2:14: tags[1]: must be a lower-case identifier: a letter, then"
                + " lower-case letters, digits, '_' or '-' (found 'Specialist')",
            F
                + at(y, "'data transform'")
                + ": node 'coder': tags[1]: must be a lower-case identifier: a letter, then"
                + " lower-case letters, digits, '_' or '-' (found 'data transform')");
  }

  @Test
  void load_tagListedTwice_isReportedAtTheSecond() {
    fx.agent("engineer", "name: engineer\ntags: [code, specialist, code]\n");
    String y = triage("specialist, specialist").replace("tags: [code]", "tags: [fix, fix]");
    fx.workflow(y);

    assertThat(loader().load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            "agents/engineer.yml:2:26: agent 'engineer': tags[2]: 'code' is listed twice (list"
                + " each tag once)",
            F
                + at(y, "specialist]")
                + ": node 'route': requires[1]: 'specialist' is listed twice (list each tag once)",
            F
                + at(y, "fix]")
                + ": node 'coder': tags[1]: 'fix' is listed twice (list each tag once)");
  }

  @Test
  void load_requiresNotAList_isReportedAtItsKey() {
    writeEngineer();
    String y = triage("code").replace("requires: [code]", "requires: specialist");
    fx.workflow(y);

    assertThat(loader().load(dir).problems())
        .extracting(Object::toString)
        .containsExactly(
            F + at(y, "specialist") + ": node 'route': requires: expected a list, found a string");
  }

  @Test
  void provides_agentNode_isItsTagsAndItsAgents_toolNode_itsTools() {
    writeEngineer();
    fx.workflow(triage("code"));
    Capabilities caps = loader(tool("tests.run", "tests", "ci")).load(dir).capabilities();
    Manifests m = loader().load(dir).orThrow();
    List<NodeSpec> nodes = m.workflow("x").orElseThrow().nodes();

    assertThat(caps.provides(nodes.get(2))).containsExactly("code", "files", "specialist");
    assertThat(caps.provides(nodes.get(3))).containsExactly("ci", "tests");
    assertThat(caps.provides(nodes.get(1))).isEmpty();
    assertThat(caps.satisfies(nodes.get(2), List.of("specialist", "code"))).isTrue();
    assertThat(caps.satisfies(nodes.get(3), List.of("specialist"))).isFalse();
    assertThat(caps.satisfies(nodes.get(1), List.of())).isTrue();
    assertThat(caps.tags()).containsExactly("ci", "code", "files", "specialist", "tests");
  }

  @Test
  void provides_nodeOfAnUnknownAgentOrTool_isItsOwnTagsOnly() {
    Capabilities caps = loader().load(fx.workflow(triage("code")).dir).capabilities();
    NodeSpec coder =
        new NodeSpec(
            "coder",
            "agent",
            null,
            null,
            "nobody",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of("code"),
            null,
            null);

    assertThat(caps.provides(coder)).containsExactly("code");
    assertThat(caps.provides(NodeSpec.of("t", "tool", null))).isEmpty();
  }

  @Test
  void entries_listAgentsToolsThenNodesWithAKindOrTags() {
    writeEngineer();
    fx.agent("reviewer", "name: reviewer\n");
    fx.workflow(triage("code"));

    List<Entry> entries =
        loader(tool("tests.run", "tests"), tool("fs.read", "files"))
            .load(dir)
            .capabilities()
            .entries();

    assertThat(entries)
        .containsExactly(
            new Entry(
                Kind.AGENT,
                "engineer",
                null,
                "Edits code.",
                Set.of("files", "specialist"),
                List.of()),
            new Entry(Kind.AGENT, "reviewer", null, null, Set.of(), List.of()),
            new Entry(Kind.TOOL, "fs.read", null, "the fs.read tool", Set.of("files"), List.of()),
            new Entry(
                Kind.TOOL, "tests.run", null, "the tests.run tool", Set.of("tests"), List.of()),
            new Entry(Kind.NODE, "route", "x", null, Set.of(), List.of("code")),
            new Entry(
                Kind.NODE, "coder", "x", null, Set.of("code", "files", "specialist"), List.of()),
            new Entry(Kind.NODE, "tests", "x", null, Set.of("tests"), List.of()));
    assertThat(entries.get(0).tags()).containsExactly("files", "specialist");
  }

  @Test
  void capabilities_directoryWithProblems_throwsListingThem() {
    String y = triage("nothing");
    fx.workflow(y);

    assertThatThrownBy(() -> loader().load(dir).capabilities())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("requires: no agent, tool or node provides tag 'nothing'");
  }

  @Test
  void isTag_acceptsLowerCaseIdentifiersOnly() {
    assertThat(List.of("code", "data-transform", "v2", "a_b")).allMatch(Capabilities::isTag);
    assertThat(List.of("Code", "2d", "", "a.b", "-a", "a b")).noneMatch(Capabilities::isTag);
  }
}
