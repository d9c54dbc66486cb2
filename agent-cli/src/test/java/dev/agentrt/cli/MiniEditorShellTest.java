package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mini-editor example ({@code examples/src/main/resources/mini-editor}) driven through {@code
 * agentrt shell} with typed lines, offline (scripted drafter and summarizer): a plain line creates
 * a Markdown document through the default profile, {@code /retry} writes it again in a new run,
 * {@code /edit-last +TEXT} extends the request and the document, and a line of the {@code revise}
 * profile takes the edit branch, which reads the document the earlier runs wrote.
 */
class MiniEditorShellTest {
  static final Path EXAMPLE = Path.of("../examples/src/main/resources/mini-editor");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void shell_createsRetriesExtendsAndRevisesTheDocument() throws IOException {
    Path config = copy(EXAMPLE, tmp.resolve("mini-editor"));
    Path workspace = Files.createDirectories(tmp.resolve("workspace"));
    String yml = Files.readString(config.resolve("config.yml"));
    Files.writeString(
        config.resolve("config.yml"),
        yml.replace("path: var/agentrt/mini-editor.db", "path: '" + tmp.resolve("runs.db") + "'")
            .replace("workspace: .", "workspace: '" + workspace + "'"));
    Path session = tmp.resolve("session.json");
    Path doc = workspace.resolve("tea.md");

    String out =
        shell(
            config,
            session,
            "a short note about green tea",
            "/retry",
            "/edit-last +with brewing tips",
            "/profile revise",
            "make the tone formal",
            "/history");

    JsonNode history = JSON.readTree(session.toFile()).get("history");
    assertThat(history).hasSize(4);
    for (JsonNode e : history) assertThat(e.get("status").asText()).isEqualTo("COMPLETED");
    List<String> runIds = new ArrayList<>();
    history.forEach(e -> runIds.add(e.get("runId").asText()));
    assertThat(runIds).doesNotHaveDuplicates();
    // the profile mapped each line to the workflow's input
    assertThat(history.get(0).get("input").toString())
        .isEqualTo(
            "{\"request\":\"a short note about green tea\",\"mode\":\"create\",\"path\":\"tea.md\"}");
    assertThat(history.get(1).get("input")).isEqualTo(history.get(0).get("input"));
    assertThat(history.get(2).get("input").get("request").asText())
        .isEqualTo("a short note about green tea with brewing tips");
    assertThat(history.get(3).get("input").get("mode").asText()).isEqualTo("edit");

    // the last run revised the document that /edit-last wrote (the script checks what it read)
    assertThat(Files.readString(doc))
        .startsWith("# Green tea\n")
        .contains("## Preparation\n")
        .contains("is recommended")
        .doesNotContain("## Brewing tips");
    // each run's summary is of the document as that run left it
    assertThat(summary(out, runIds.get(0)))
        .isEqualTo(summaryOf("Green tea", 22, "friendly", "Taste"));
    assertThat(summary(out, runIds.get(1))).isEqualTo(summary(out, runIds.get(0)));
    assertThat(summary(out, runIds.get(2)))
        .isEqualTo(summaryOf("Green tea", 39, "friendly", "Taste", "Brewing tips"));
    assertThat(summary(out, runIds.get(3)))
        .isEqualTo(summaryOf("Green tea", 44, "formal", "Taste", "Preparation"));
    assertThat(Files.readString(doc).split("\\s+")).hasSize(44);
    assertThat(out)
        .containsPattern(runIds.get(3) + " +mini-editor +COMPLETED +make the tone formal");
  }

  /** The summary of the run printed with {@code [run ID]}: its output's summary. */
  static JsonNode summary(String out, String runId) throws IOException {
    int at = out.indexOf("[run " + runId + "]");
    assertThat(at).as(out).isNotNegative();
    int output = out.indexOf("Output:\n", at) + "Output:\n".length();
    int end = out.indexOf("\n}\n", output) + 2;
    return JSON.readTree(out.substring(output, end)).get("summary");
  }

  static JsonNode summaryOf(String title, int length, String tone, String... sections) {
    var o = JSON.createObjectNode().put("title", title).put("length", length);
    var a = o.putArray("sections");
    for (String s : sections) a.add(s);
    o.put("tone", tone);
    return o;
  }

  static String shell(Path config, Path session, String... lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Shell.run(
            new ByteArrayInputStream(
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)),
            out,
            err,
            "--config",
            config.toString(),
            "--session",
            session.toString());
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).as(printed).isEmpty();
    return printed;
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
    return to;
  }
}
