package dev.agentrt.testkit.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@link EvalReport}: the table, JSON and JUnit XML of fixed results. */
class EvalReportTest {
  static final EvalReport REPORT =
      new EvalReport(
          List.of(
              new EvalResult(
                  "bug-fix",
                  "release-notes",
                  true,
                  1,
                  1,
                  List.of(),
                  2,
                  1315,
                  0.0123,
                  Duration.ofMillis(42)),
              new EvalResult(
                  "flaky <&>",
                  "ask",
                  false,
                  5,
                  3,
                  List.of(
                      "3 of 5 runs passed, 4 needed (pass_rate 0.8)",
                      "run 2: output.ok equals: expected true but was \"no\""),
                  0,
                  0,
                  0,
                  Duration.ofMillis(1500))));

  @Test
  void table_rowPerCaseSummaryThenFailures() {
    assertThat(REPORT.table())
        .isEqualTo(
            """
            CASE       WORKFLOW       RESULT  RUNS  LLM CALLS  TOKENS  COST USD  TIME
            bug-fix    release-notes  PASS    1/1   2          1315    0.0123    42 ms
            flaky <&>  ask            FAIL    3/5   0          0       0.0000    1500 ms
            1 passed, 1 failed

            flaky <&> failed:
              - 3 of 5 runs passed, 4 needed (pass_rate 0.8)
              - run 2: output.ok equals: expected true but was "no"
            """);
    assertThat(REPORT.passed()).isFalse();
  }

  @Test
  void json_summaryAndEveryField() throws Exception {
    JsonNode root = new ObjectMapper().readTree(REPORT.json());

    assertThat(root.path("passed").asBoolean()).isFalse();
    assertThat(root.path("total").asInt()).isEqualTo(2);
    assertThat(root.path("failed").asInt()).isEqualTo(1);
    JsonNode c = root.path("cases").path(0);
    assertThat(c.path("name").asText()).isEqualTo("bug-fix");
    assertThat(c.path("workflow").asText()).isEqualTo("release-notes");
    assertThat(c.path("passed").asBoolean()).isTrue();
    assertThat(c.path("runs").asInt()).isEqualTo(1);
    assertThat(c.path("passes").asInt()).isEqualTo(1);
    assertThat(c.path("llmCalls").asLong()).isEqualTo(2);
    assertThat(c.path("tokens").asLong()).isEqualTo(1315);
    assertThat(c.path("costUsd").asDouble()).isEqualTo(0.0123);
    assertThat(c.path("durationMs").asLong()).isEqualTo(42);
    assertThat(root.path("cases").path(1).path("failures").get(1).asText())
        .isEqualTo("run 2: output.ok equals: expected true but was \"no\"");
  }

  @Test
  void junitXml_parsesBackWithATestcasePerCaseAndAFailure() throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    REPORT.junitXml("agentrt-eval").getBytes(StandardCharsets.UTF_8)));

    Element suite = doc.getDocumentElement();
    assertThat(suite.getTagName()).isEqualTo("testsuite");
    assertThat(suite.getAttribute("name")).isEqualTo("agentrt-eval");
    assertThat(suite.getAttribute("tests")).isEqualTo("2");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("time")).isEqualTo("1.542");
    NodeList cases = suite.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(2);
    Element pass = (Element) cases.item(0);
    assertThat(pass.getAttribute("name")).isEqualTo("bug-fix");
    assertThat(pass.getAttribute("classname")).isEqualTo("agentrt-eval.release-notes");
    assertThat(pass.getElementsByTagName("failure").getLength()).isZero();
    Element fail = (Element) cases.item(1);
    assertThat(fail.getAttribute("name")).isEqualTo("flaky <&>");
    Element failure = (Element) fail.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message"))
        .isEqualTo("3 of 5 runs passed, 4 needed (pass_rate 0.8)");
    assertThat(failure.getTextContent())
        .isEqualTo(
            "3 of 5 runs passed, 4 needed (pass_rate 0.8)\n"
                + "run 2: output.ok equals: expected true but was \"no\"");
  }
}
