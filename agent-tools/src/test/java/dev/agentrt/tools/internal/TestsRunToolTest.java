package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tests.run} against a fixture that really runs: a single-file Java program (started with
 * the {@code java} launcher, no build tool, no network) that runs two checks, one failing, and
 * writes a Surefire-style JUnit XML report. {@code TestsRunMavenIT} runs a real Maven project.
 */
class TestsRunToolTest {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  @TempDir Path ws;
  ToolBus bus;

  ToolBus bus(String settings) throws IOException {
    Files.copy(Path.of("src/test/resources/tests-run-fixture/RunTests.java"), ws.resolve("RunTests.java"));
    bus = ToolBus.builder().discovery(false).tool(new TestsRunTool())
        .policy(ToolPolicy.builder().workspace(ws).toolSettings("tests.run", TestSupport.json(settings)).build()).build();
    return bus;
  }

  @AfterEach
  void close() {
    if (bus != null) bus.close();
  }

  @Test
  void run_fixtureWithOneFailingTest_parsesTotalsAndFailure() throws IOException {
    ToolBus b = bus("{'command': ['" + JAVA + "', 'RunTests.java']}");

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    ObjectNode expected = (ObjectNode) TestSupport.json("{'command': ['" + JAVA + "', 'RunTests.java'], 'exit_code': 1, "
        + "'timed_out': false, 'passed': 1, 'failed': 1, 'errors': 0, 'skipped': 0, 'total': 2, 'reports': 1, 'failures': ["
        + "{'class': 'RunTests', 'name': 'divide', 'kind': 'failure', 'type': 'java.lang.AssertionError', "
        + "'message': 'expected: <2> but was: <3>', 'location': 'RunTests.java:19'}]}");
    expected.put("output_tail", v.get("output_tail").asText());
    assertThat(v).isEqualTo(expected);
    assertThat(v.get("output_tail").asText()).endsWith("Tests run: 2, Failures: 1\n");
  }

  @Test
  void run_childEnvironment_holdsOnlyAllowedVariables() throws IOException {
    ToolBus b = bus("{'command': ['" + JAVA + "', 'RunTests.java']}");

    String out = value(b.call(ToolInvocation.of("tests.run", args()))).get("output_tail").asText();

    String names = out.substring(out.indexOf('[') + 1, out.indexOf(']'));
    for (String n : names.split(", ")) {
      assertThat(TestsRunTool.DEFAULT_ENV).contains(n);
    }
  }

  @Test
  void run_reportsLeftFromAnEarlierRun_areIgnored() throws IOException {
    ToolBus b = bus("{'command': ['true']}");
    Path old = Files.createDirectories(ws.resolve("target/surefire-reports")).resolve("TEST-Old.xml");
    Files.writeString(old, "<testsuite><testcase name='x' classname='Old'><failure message='old'/></testcase></testsuite>");

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    assertThat(v.get("exit_code").asInt()).isZero();
    assertThat(v.get("total").asInt()).isZero();
    assertThat(v.get("reports").asInt()).isZero();
  }

  @Test
  void run_commandNotConfigured_isRefused() throws IOException {
    ToolBus b = bus("{'command': ['" + JAVA + "', 'RunTests.java']}");

    String msg = failure(b.call(ToolInvocation.of("tests.run", args("command", List.of("rm", "-rf", "/")))));

    assertThat(msg).isEqualTo("command [rm, -rf, /] is not allowed (allowed: [[" + JAVA + ", RunTests.java]]; "
        + "add it to policy.tools.tests.run.commands in config.yml)");
  }

  @Test
  void run_commandPastTimeout_isKilledAndMarked() throws IOException {
    ToolBus b = bus("{'command': ['sleep', '60'], 'timeout': 'PT1S'}");

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    assertThat(v.get("timed_out").asBoolean()).isTrue();
    assertThat(v.get("exit_code").asInt()).isNotZero();
  }

  @Test
  void run_missingExecutable_failsNamingIt() throws IOException {
    ToolBus b = bus("{'command': ['no-such-test-runner-agentrt']}");

    assertThat(failure(b.call(ToolInvocation.of("tests.run", args())))).startsWith(
        "command 'no-such-test-runner-agentrt' could not be started: Cannot run program \"no-such-test-runner-agentrt\"");
  }

  @Test
  void reports_failureErrorAndSkipped_areCounted() throws IOException {
    Path f = ws.resolve("TEST-x.xml");
    Files.writeString(f, "<testsuite>"
        + "<testcase classname='a.BTest' name='ok'/>"
        + "<testcase classname='a.BTest' name='bad'><failure message='m' type='T'>at a.BTest.bad(BTest.java:7)</failure></testcase>"
        + "<testcase classname='a.BTest' name='boom'><error message='npe' type='java.lang.NullPointerException'>"
        + "java.lang.NullPointerException\n\tat a.Lib.go(Lib.java:3)\n\tat a.BTest.boom(BTest.java:12)</error></testcase>"
        + "<testcase classname='a.BTest' name='later'><skipped/></testcase></testsuite>");
    JUnitReports.Totals t = new JUnitReports.Totals();

    JUnitReports.read(f, t);

    assertThat(List.of(t.tests, t.passed(), t.failed, t.errors, t.skipped)).containsExactly(4, 1, 1, 1, 1);
    assertThat(t.failures).containsExactly(
        new JUnitReports.Failure("a.BTest", "bad", "failure", "T", "m", "BTest.java:7"),
        new JUnitReports.Failure("a.BTest", "boom", "error", "java.lang.NullPointerException", "npe", "BTest.java:12"));
  }

  @Test
  void reports_doctype_isRefusedNotExpanded() throws IOException {
    Path f = ws.resolve("TEST-xxe.xml");
    Files.writeString(f, "<?xml version='1.0'?><!DOCTYPE t [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        + "<testsuite><testcase classname='X' name='&x;'/></testsuite>");
    JUnitReports.Totals t = new JUnitReports.Totals();

    JUnitReports.read(f, t);

    assertThat(t.errors).isEqualTo(1);
    assertThat(t.failures.get(0).message()).startsWith("the report is not valid XML: DOCTYPE is disallowed");
  }
}
