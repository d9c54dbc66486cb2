package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests written by a careless user or an attacker: aliases, sizes, encodings, loose types. */
class HostileManifestTest {
  static final String F = "workflows/x.yml:";

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  static String workflow(String budget, String loopMax) {
    return """
        id: x
        BUDGET
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, role: decision, template: again}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: work, when: again, loop: {max: LOOP, exhausted: done}}
          - {from: work, to: done}
        """
        .replace("BUDGET", budget)
        .replace("LOOP", loopMax);
  }

  @Test
  void load_configWithSyntaxError_reportsOnlyThatNotModelsMissingFromIt() {
    fx.config("models:\n  default: {provider: scripted, script: s.yml\n")
        .agent("helper", "name: helper\nmodel: default\n")
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
        .hasSize(1)
        .allSatisfy(p -> assertThat(p).startsWith("config.yml:").contains("invalid YAML"));
  }

  // ------------------------------------------------------------------ aliases

  @Test
  void load_aliasOfMapping_expandsToTheAnchoredValue() {
    fx.workflow(
        """
        id: x
        budget: &limits {max_hops: 7, max_tokens: 100}
        nodes:
          - {id: start, role: start}
          - {id: work, kind: transform, template: {hops: 1}, description: &d shared}
          - {id: done, role: exit, description: *d}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """);

    WorkflowSpec wf = fx.load().workflow("x").orElseThrow();

    assertThat(wf.budget().maxHops()).isEqualTo(7L);
    assertThat(wf.nodes().get(2).description()).isEqualTo("shared");
  }

  @Test
  void load_aliasValueOfWrongType_isReportedNotReadAsItsName() {
    String y =
        """
        id: x
        input: {schema: &x {type: object}}
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit, description: *x}
        edges:
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F + at(y, "*x") + ": node 'done': description: expected a string, found a mapping");
  }

  @Test
  void load_topLevelKeyHoldingOnlyAnAnchor_isReportedAsUnknownAtItsLine() {
    String y =
        """
        id: x
        defaults: &d {role: start}
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "defaults")
                + ": unknown key 'defaults' (known keys: budget,"
                + " description, edges, id, input, nodes)");
  }

  @Test
  void load_undefinedAlias_reportsAliasLocation() {
    String y =
        """
        id: x
        description: *nope
        nodes:
          - {id: start, role: start}
          - {id: done, role: exit}
        edges:
          - {from: start, to: done}
        """;
    fx.workflow(y);

    assertThat(fx.problems())
        .containsExactly(
            F
                + at(y, "*nope")
                + ": invalid YAML: alias '*nope' refers to no anchor"
                + " defined before it (define '&nope' on an earlier value)");
  }

  @Test
  void load_billionLaughs_isRefusedAtTheAliasThatExpandsTooFar() {
    StringBuilder y =
        new StringBuilder("id: x\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      y.append("lol").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < 10; k++) y.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
      y.append("]\n");
    }
    String text = y.toString();
    fx.workflow(text);

    // copies so far: 110 + 1,110 + 11,110 = 12,330; each *a3 copies 11,111 values: the 8th crosses
    // 100,000
    assertThat(fx.problems())
        .containsExactly(
            F
                + at(text, "*a3", 8)
                + ": invalid YAML: aliases expand to more than"
                + " 100000 values (write the values out, or use fewer aliases)");
  }

  // ------------------------------------------------------------------ size

  @Test
  void load_fileOverTheSizeLimit_isRefusedBeforeParsing() throws IOException {
    Path big = dir.resolve("workflows/x.yml");
    Files.createDirectories(big.getParent());
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: 3 GiB without using the disk
    }

    assertThat(fx.problems())
        .containsExactly(
            "workflows/x.yml: the file has 3221225472 bytes, more than the limit of"
                + " 1048576 for a manifest (split it, or raise AgentRuntime.Builder.maxManifestBytes)");
  }

  @Test
  void load_fileOverAConfiguredLimit_isRefused() {
    String y = workflow("description: " + "a".repeat(2000), "2");
    fx.workflow(y).maxManifestBytes(1024);

    assertThat(fx.problems())
        .containsExactly(
            "workflows/x.yml: the file has "
                + y.length()
                + " bytes, more than the"
                + " limit of 1024 for a manifest (split it, or raise AgentRuntime.Builder.maxManifestBytes)");
  }

  @Test
  void load_longScalarUnderTheLimit_loads() {
    fx.workflow(workflow("description: " + "a".repeat(1_000_000), "2"));

    assertThat(fx.load().workflow("x").orElseThrow().description()).hasSize(1_000_000);
  }

  // ------------------------------------------------------------------ encoding

  @Test
  void load_invalidUtf8_reportsLineAndColumnOfTheBadByte() throws IOException {
    String y = workflow("description: caf\u00e9 X", "2");
    byte[] bytes = y.getBytes(StandardCharsets.UTF_8);
    int x = y.indexOf(" X") + 1 + 1; // the 'X', one byte further on because é is two bytes
    bytes[x] = (byte) 0xFF;
    Path p = dir.resolve("workflows/x.yml");
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);

    assertThat(fx.problems())
        .containsExactly(F + at(y, "X") + ": invalid UTF-8 (byte 0xff); save the file as UTF-8");
  }

  // ------------------------------------------------------------------ types

  record Case(String yaml, String needle, String message) {}

  static Stream<Arguments> looseTypes() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "fraction for a whole number",
                new Case(
                    workflow("budget: {max_hops: 2.9}", "2"),
                    "2.9",
                    "budget.max_hops: 2.9 is not a whole number"))),
        Arguments.of(
            Named.of(
                "fraction for loop.max",
                new Case(
                    workflow("", "2.7"),
                    "2.7",
                    "edge 'work -> work': loop.max: 2.7 is not a whole number"))),
        Arguments.of(
            Named.of(
                "quoted number",
                new Case(
                    workflow("budget: {max_tokens: '10'}", "2"),
                    "'10'",
                    "budget.max_tokens: expected a whole number, found the string '10' (write it without quotes)"))),
        Arguments.of(
            Named.of(
                "quoted fraction",
                new Case(
                    workflow("budget: {max_cost_usd: '1.5'}", "2"),
                    "'1.5'",
                    "budget.max_cost_usd: expected a number, found the string '1.5' (write it without quotes)"))),
        Arguments.of(
            Named.of(
                "whole number out of int range",
                new Case(
                    workflow("", "99999999999"),
                    "99999999999",
                    "edge 'work -> work': loop.max: 99999999999 is out of range (at most 2147483647)"))),
        Arguments.of(
            Named.of(
                "string for a boolean",
                new Case(
                    workflow("", "2")
                        .replace("role: decision,", "role: decision, continue_on_failure: 'true',"),
                    "'true'",
                    "node 'work': continue_on_failure: expected true or false, found the string 'true' (write it without quotes)"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("looseTypes")
  void load_valueOfWrongType_isReportedNotCoerced(Case c) {
    fx.workflow(c.yaml());

    assertThat(fx.problems()).containsExactly(F + at(c.yaml(), c.needle()) + ": " + c.message());
  }

  @Test
  void load_openAiModelWithoutKey_isReportedAtLoad() {
    String c =
        """
        models:
          default: {provider: openai, model: gpt-4.1-mini}
        """;
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "{provider")
                + ": models.default: provider 'openai'"
                + " needs api_key: (write api_key: ${env:OPENAI_API_KEY})");
  }

  @Test
  void load_seedOutOfRange_isReportedAtLoad() {
    String c =
        """
        models:
          default: {provider: scripted, script: s.yml, seed: 99999999999}
        """;
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "99999999999")
                + ": models.default.seed: must be a 32-bit integer, between -2147483648 and 2147483647 (found '99999999999')");
  }
}
