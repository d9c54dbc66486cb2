package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.ManifestProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of kind {@code agent} are the kind's (its {@code NodeKeys}, discovered with its
 * provider): reported the same by {@code AgentRuntime.build()} and, without creating the executor,
 * by {@code ManifestLoader} (what {@code agentrt validate} uses).
 */
class AgentNodeKeysTest {
  @TempDir Path dir;

  static String workflow(String work) {
    return """
        id: x
        nodes:
          - {id: start, role: start}
          - WORK
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """
        .replace("WORK", work);
  }

  /** {@code line:column} (1-based) of the first {@code needle} in {@code text}. */
  static String at(String text, String needle) {
    int idx = text.indexOf(needle);
    if (idx < 0) throw new IllegalArgumentException("no '" + needle + "'");
    int line = 1 + (int) text.substring(0, idx).chars().filter(c -> c == '\n').count();
    return line + ":" + (idx - text.lastIndexOf('\n', idx - 1));
  }

  private void write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** The problems {@code AgentRuntime.build()} throws, as {@code file:line:col: message}. */
  private List<String> buildProblems() {
    List<String> out = new ArrayList<>();
    assertThatThrownBy(() -> AgentRuntime.builder().configDir(dir).build().close())
        .isInstanceOfSatisfying(
            ManifestException.class, e -> e.problems().forEach(p -> out.add(p.toString())));
    return out;
  }

  /** The problems the loader finds with discovery on, as {@code file:line:col: message}. */
  private List<String> loadProblems() {
    return ManifestLoader.ofDefaults().load(dir).problems().stream()
        .map(ManifestProblem::toString)
        .toList();
  }

  private void assertReportedByBuildAndLoad(String problem) {
    assertThat(buildProblems()).containsExactly(problem);
    assertThat(loadProblems()).containsExactly(problem);
  }

  @Test
  void load_agentWithoutAgent_isReportedAtTheNode() throws IOException {
    String y = workflow("{id: work, kind: agent}");
    write("config.yml", "checkpoint: {store: memory}\n");
    write("workflows/x.yml", y);

    assertReportedByBuildAndLoad(
        "workflows/x.yml:"
            + at(y, "{id: work")
            + ": node 'work': kind agent needs agent: (the name of an agent in agents/)");
  }

  @Test
  void load_unknownAgent_suggestsClosestAgent() throws IOException {
    String y = workflow("{id: work, kind: agent, agent: enginer}");
    write("config.yml", "checkpoint: {store: memory}\n");
    write("agents/engineer.yml", "name: engineer\n");
    write("workflows/x.yml", y);

    assertReportedByBuildAndLoad(
        "workflows/x.yml:"
            + at(y, "enginer")
            + ": node 'work': no agent 'enginer' (did you mean 'engineer'?)");
  }

  @Test
  void load_agentOnTransform_isReportedAtTheKeyNamingKindAgent() throws IOException {
    String y = workflow("{id: work, kind: transform, template: hi, agent: engineer}");
    write("config.yml", "checkpoint: {store: memory}\n");
    write("agents/engineer.yml", "name: engineer\n");
    write("workflows/x.yml", y);

    assertReportedByBuildAndLoad(
        "workflows/x.yml:"
            + at(y, "engineer}")
            + ": node 'work': agent: applies to kind agent only");
  }
}
