package dev.agentrt.tools;

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
 * The keys of kind {@code tool} are the kind's (its {@code NodeKeys}, discovered with its
 * provider): reported the same by {@code AgentRuntime.build()} and, without creating the executor,
 * by {@code ManifestLoader} (what {@code agentrt validate} uses).
 */
class ToolNodeKeysTest {
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
  void load_toolWithoutTool_isReportedAtTheNode() throws IOException {
    String y = workflow("{id: work, kind: tool}");
    write("config.yml", "checkpoint: {store: memory}\n");
    write("workflows/x.yml", y);

    assertReportedByBuildAndLoad(
        "workflows/x.yml:"
            + at(y, "{id: work")
            + ": node 'work': kind tool needs tool: (the name of the tool to call)");
  }

  @Test
  void load_argsOnTransform_isReportedAtTheKeyNamingKindTool() throws IOException {
    String y = workflow("{id: work, kind: transform, template: hi, args: {path: a.txt}}");
    write("config.yml", "checkpoint: {store: memory}\n");
    write("workflows/x.yml", y);

    assertReportedByBuildAndLoad(
        "workflows/x.yml:" + at(y, "{path") + ": node 'work': args: applies to kind tool only");
  }

  @Test
  void load_toolOnTransform_isReportedAtTheKeyNamingKindTool() throws IOException {
    String y = workflow("{id: work, kind: transform, template: hi, tool: fs.read}");
    write("config.yml", "checkpoint: {store: memory}\n");
    write("workflows/x.yml", y);

    assertReportedByBuildAndLoad(
        "workflows/x.yml:" + at(y, "fs.read") + ": node 'work': tool: applies to kind tool only");
  }
}
