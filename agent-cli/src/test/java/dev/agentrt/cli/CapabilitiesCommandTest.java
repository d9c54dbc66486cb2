package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agentrt capabilities}: the registry as a table or JSON, without a runtime. */
class CapabilitiesCommandTest {
  @TempDir Path dir;
  Path db;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws IOException {
    db = dir.resolve("var/runs.db");
    Files.writeString(
        dir.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '" + db + "'}\nmodels: {m: {provider: scripted}}\n");
    Files.createDirectories(dir.resolve("agents"));
    Files.writeString(
        dir.resolve("agents/engineer.yml"),
        """
        name: engineer
        description: Edits code in the workspace to satisfy a request.
        model: m
        tags: [code, specialist]
        """);
    Files.createDirectories(dir.resolve("workflows"));
    workflow("specialist");
  }

  void workflow(String required) throws IOException {
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: pick, kind: transform, template: code, requires: [REQUIRED]}
          - {id: coder, kind: agent, agent: engineer, tags: [fix]}
          - {id: read, kind: tool, tool: fs.read, args: {path: README.md}, description: Reads it}
          - {id: done, role: exit}
        edges:
          - {from: start, to: pick}
          - {from: pick, to: coder}
          - {from: coder, to: read}
          - {from: read, to: done}
        """
            .replace("REQUIRED", required));
  }

  int execute(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void capabilities_table_groupsAgentsToolsAndNodesWithTheirTags() {
    assertThat(execute("capabilities", "--config", dir.toString())).isZero();

    String text = out.toString();
    assertThat(text)
        .startsWith(
            """
            Agents:
            AGENT     TAGS             DESCRIPTION
            engineer  code,specialist  Edits code in the workspace to satisfy a request.

            Tools:
            TOOL\s""")
        .endsWith(
            """
            Nodes:
            WORKFLOW  NODE   TAGS                 REQUIRES    DESCRIPTION
            w         pick   -                    specialist  -
            w         coder  code,fix,specialist  -           -
            w         read   files                -           Reads it
            """)
        .containsPattern("(?m)^fs\\.read +files +\\S.*$")
        .containsPattern("(?m)^grep +files,search +\\S.*$");
    assertThat(err.toString()).isEmpty();
    assertThat(db.getParent()).doesNotExist();
  }

  @Test
  void capabilities_json_listsEveryEntryWithStableKeys() throws IOException {
    assertThat(execute("capabilities", "--json", "--config", dir.toString())).isZero();

    JsonNode json = RunReport.MAPPER.readTree(out.toString());
    assertThat(json.fieldNames()).toIterable().containsExactly("agents", "tools", "nodes", "tags");
    assertThat(json.get("agents").toString())
        .isEqualTo(
            "[{\"id\":\"engineer\",\"description\":\"Edits code in the workspace to satisfy a"
                + " request.\",\"tags\":[\"code\",\"specialist\"]}]");
    assertThat(json.get("nodes").toString())
        .isEqualTo(
            "[{\"workflow\":\"w\",\"id\":\"pick\",\"description\":null,\"tags\":[],"
                + "\"requires\":[\"specialist\"]},"
                + "{\"workflow\":\"w\",\"id\":\"coder\",\"description\":null,"
                + "\"tags\":[\"code\",\"fix\",\"specialist\"],\"requires\":[]},"
                + "{\"workflow\":\"w\",\"id\":\"read\",\"description\":\"Reads it\","
                + "\"tags\":[\"files\"],\"requires\":[]}]");
    JsonNode fsRead = null;
    for (JsonNode t : json.get("tools")) if (t.get("id").asText().equals("fs.read")) fsRead = t;
    assertThat(fsRead).isNotNull();
    assertThat(fsRead.get("tags").toString()).isEqualTo("[\"files\"]");
    assertThat(json.get("tags").toString()).contains("\"code\"", "\"files\"", "\"tests\"");
  }

  @Test
  void capabilities_requiresATagNothingProvides_exits2WithTheProblem() throws IOException {
    workflow("specialst");

    assertThat(execute("capabilities", "--config", dir.toString())).isEqualTo(2);

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "workflows/w.yml:4:60: node 'pick': requires: no agent, tool or node provides tag"
                + " 'specialst' (did you mean 'specialist'?)"
                + System.lineSeparator());
  }

  @Test
  void validate_requiresATagOfABuiltInTool_isValid() throws IOException {
    workflow("tests");

    assertThat(execute("validate", "--config", dir.toString())).isZero();
  }
}
