package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON Schemas in manifests (a workflow's {@code input.schema}, an agent's {@code output.schema})
 * are checked against the draft 2020-12 meta-schema when the directory loads, each problem at the
 * offending value: not when the first input or the first model answer is validated.
 */
class ManifestSchemasTest {
  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  @Test
  void load_inputSchemaWithUnknownType_isReportedAtTheType() {
    String y =
        """
        id: x
        input:
          schema:
            type: object
            properties: {title: {type: strin}, count: {type: integer, minimum: low}}
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            "workflows/x.yml:"
                + at(y, "strin")
                + ": workflow 'x': input.schema is not a valid JSON Schema (draft 2020-12):"
                + " /properties/title/type: 'strin' is not a type (use one of: array, boolean, integer, null, number,"
                + " object, string)",
            "workflows/x.yml:"
                + at(y, "low")
                + ": workflow 'x': input.schema is not a valid JSON Schema (draft 2020-12):"
                + " /properties/count/minimum: string found, number expected");
  }

  @Test
  void load_agentOutputSchemaWithUnknownType_isReportedInTheAgentFile() {
    String a =
        """
        name: helper
        output:
          schema: {type: obj, required: [summary]}
        """;
    fx.agent("helper", a)
        .workflow(
            """
        id: x
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """);

    assertThat(fx.problems())
        .containsExactly(
            "agents/helper.yml:"
                + at(a, "obj")
                + ": agent 'helper': output.schema"
                + " is not a valid JSON Schema (draft 2020-12): /type: 'obj' is not a type (use one of: array, boolean, integer,"
                + " null, number, object, string)");
  }

  @Test
  void load_validSchemas_loadWithoutProblems() {
    fx.agent(
            "helper",
            "name: helper\noutput: {schema: {type: object, required: [a], properties: {a: {type: string}}}}\n")
        .workflow(
            """
            id: x
            input: {schema: {type: object, properties: {n: {type: [integer, "null"], minimum: 0}}}}
            nodes:
              - {id: start, role: start}
              - {id: done, role: exit}
            edges:
              - {from: start, to: done}
            """);

    Manifests m = fx.load();

    assertThat(m.workflows()).containsKey("x");
    assertThat(m.agents()).containsKey("helper");
  }
}
