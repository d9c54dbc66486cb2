package dev.agentrt.core.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.Agent;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.Workflow;
import dev.agentrt.core.Workflow.Node;
import dev.agentrt.core.manifest.InterruptMode;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.WorkflowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflows and agents built in Java: read by the same loader as YAML, their problems reported at
 * the builder calls, their hash and graph those of the same file.
 */
class WorkflowBuilderTest {
  @TempDir Path dir;

  private static Workflow.Builder echo(String id) {
    return Workflow.builder(id)
        .node(Node.start("start"))
        .node(Node.transform("echo", Map.of("said", "{{input.text}}")))
        .node(Node.exit("done").output("{{echo}}"))
        .edge("start", "echo")
        .edge("echo", "done");
  }

  private static int nextLine() {
    return StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow()).getLineNumber()
        + 1;
  }

  @Test
  void codeOnly_runsWithoutAnyConfigurationDirectory() {
    try (AgentRuntime rt = AgentRuntime.builder().workflow(echo("echo").build()).build()) {
      RunResult r = rt.run("echo", Map.of("text", "hi"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().toString()).isEqualTo("{\"said\":\"hi\"}");
      assertThat(rt.manifests().dir()).isEqualTo(Path.of("").toAbsolutePath());
    }
  }

  @Test
  void problem_isReportedAtTheBuilderCallThatMadeIt() {
    Workflow.Builder b = echo("w");
    int line = nextLine();
    b.edge("echo", "dnoe");
    Workflow w = b.build();

    assertProblemAt(
        AgentRuntime.builder().workflow(w),
        line,
        "workflow 'w', edge(\"echo\", \"dnoe\"): ",
        "did you mean 'done'");
  }

  @Test
  void problemOfANode_namesTheNodeFactoryCall() {
    Workflow.Builder b = Workflow.builder("w").node(Node.start("start"));
    int line = nextLine();
    b.node(Node.function("f", "nope"));
    Workflow w = b.node(Node.exit("done")).edge("start", "f").edge("f", "done").build();

    assertProblemAt(
        AgentRuntime.builder().workflow(w),
        line,
        "workflow 'w', node(function(\"f\", \"nope\")): ",
        "'nope'");
  }

  @Test
  void sameIdInCodeAndInTheDirectory_isAProblemNamingTheFile() throws Exception {
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(dir.resolve("workflows/echo.yml"), echo("echo").build().yaml());

    assertThatThrownBy(
            () -> AgentRuntime.builder().configDir(dir).workflow(echo("echo").build()).build())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("workflow 'echo': the id is already used by workflows/echo.yml");
  }

  @Test
  void yaml_isAFileThatLoadsIntoTheSameRecord() throws Exception {
    Workflow w =
        Workflow.builder("tricky")
            .description("yes: no # not a comment")
            .inputSchema(Map.of("type", "object", "required", List.of("text")))
            .node(Node.start("start"))
            .node(
                Node.transform(
                        "t",
                        Map.of(
                            "a", "yes", "b", "123", "c", "{{input.text}}", "d", "- x", "e", "null"))
                    .retry(3, Duration.ofMillis(250))
                    .interrupt(InterruptMode.AFTER)
                    .description("keeps: 'quotes' and \"doubles\""))
            .node(Node.exit("done").output("{{t}}"))
            .edge("start", "t")
            .edge(Workflow.edge("t", "done").id("finish").description("the only way out"))
            .build();
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(dir.resolve("workflows/tricky.yml"), w.yaml());

    WorkflowSpec fromFile =
        ManifestLoader.ofDefaults().load(dir).orThrow().workflows().get("tricky");
    try (AgentRuntime rt = AgentRuntime.builder().workflow(w).build()) {
      assertThat(rt.manifests().workflows().get("tricky")).isEqualTo(fromFile);
      assertThat(fromFile.nodes().get(1).template().get("b").isTextual()).isTrue();
      assertThat(fromFile.nodes().get(1).template().get("e").asText()).isEqualTo("null");
    }
  }

  @Test
  void hash_followsTheWorkflowAsAFileHashWould() {
    String a = hash(echo("echo").build());
    String same = hash(echo("echo").build());
    String changed = hash(echo("echo").description("now described").build());

    assertThat(same).isEqualTo(a);
    assertThat(changed).isNotEqualTo(a);
  }

  private static String hash(Workflow w) {
    try (AgentRuntime rt = AgentRuntime.builder().workflow(w).build()) {
      return rt.manifests().hash(w.id());
    }
  }

  @Test
  void loopAndErrorEdges_renderTheirKeys() {
    Workflow w =
        Workflow.builder("l")
            .node(Node.start("start"))
            .node(Node.transform("draft", Map.of("v", 1)))
            .node(Node.transform("review", Map.of("ok", false)).decision("ok"))
            .node(Node.exit("done"))
            .node(Node.exit("failed"))
            .edge("start", "draft")
            .edge("draft", "review")
            .edge("review", "done", "true")
            .loop("review", "draft", 2, "failed")
            .onError("draft", "failed")
            .build();

    try (AgentRuntime rt = AgentRuntime.builder().workflow(w).build()) {
      WorkflowSpec spec = rt.manifests().workflows().get("l");
      assertThat(spec.edges().get(3).loop()).isNotNull();
      assertThat(spec.edges().get(3).loop().max()).isEqualTo(2);
      assertThat(spec.edges().get(4).isErrorEdge()).isTrue();
      assertThat(rt.run("l", Map.of()).status()).isEqualTo(RunStatus.COMPLETED);
    }
  }

  @Test
  void agentWithPromptAndSystemFile_isAProblemAtThePromptCall() {
    Agent.Builder b = Agent.builder("writer").system("prompts/writer.md");
    int line = nextLine();
    b.prompt("You write.");
    Agent a = b.build();

    assertProblemAt(
        AgentRuntime.builder().agent(a), line, "agent 'writer', prompt(\"...\"): ", "not both");
  }

  /**
   * Building fails with a problem located at {@code line} of this file, naming the builder call
   * ({@code subjectAndCall}) and saying {@code says}.
   */
  private static void assertProblemAt(
      AgentRuntime.Builder builder, int line, String subjectAndCall, String says) {
    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(
            ManifestException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p -> {
                          assertThat(p.file()).isEqualTo("WorkflowBuilderTest.java");
                          assertThat(p.line()).isEqualTo(line);
                          assertThat(p.toString())
                              .startsWith(
                                  "WorkflowBuilderTest.java:" + line + ": " + subjectAndCall)
                              .contains(says);
                        }));
  }

  @Test
  void addedTwice_failsAtOnce() {
    Workflow w = echo("echo").build();
    AgentRuntime.Builder b = AgentRuntime.builder().workflow(w);

    assertThatThrownBy(() -> b.workflow(w))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workflow 'echo' is added twice");
  }
}
