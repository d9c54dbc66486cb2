package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    return bus(TestSupport.json(settings));
  }

  ToolBus bus(JsonNode settings) throws IOException {
    Files.copy(
        Path.of("src/test/resources/tests-run-fixture/RunTests.java"), ws.resolve("RunTests.java"));
    bus =
        ToolBus.builder()
            .discovery(false)
            .tool(new TestsRunTool())
            .policy(ToolPolicy.builder().workspace(ws).toolSettings("tests.run", settings).build())
            .build();
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

    ObjectNode expected =
        (ObjectNode)
            TestSupport.json(
                "{'command': ['"
                    + JAVA
                    + "', 'RunTests.java'], 'exit_code': 1, "
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
    List<String> allowed = new java.util.ArrayList<>(TestsRunTool.DEFAULT_ENV);
    allowed.add(
        Processes.MARKER_VARIABLE); // marks the command's processes, to kill the ones that detach
    for (String n : names.split(", ")) {
      assertThat(n).isIn(allowed);
    }
  }

  @Test
  void run_reportsLeftFromAnEarlierRun_areIgnored() throws IOException {
    ToolBus b = bus("{'command': ['true']}");
    Path old =
        Files.createDirectories(ws.resolve("target/surefire-reports")).resolve("TEST-Old.xml");
    Files.writeString(
        old,
        "<testsuite><testcase name='x' classname='Old'><failure message='old'/></testcase></testsuite>");

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    assertThat(v.get("exit_code").asInt()).isZero();
    assertThat(v.get("total").asInt()).isZero();
    assertThat(v.get("reports").asInt()).isZero();
  }

  @Test
  void run_commandNotConfigured_isRefused() throws IOException {
    ToolBus b = bus("{'command': ['" + JAVA + "', 'RunTests.java']}");

    String msg =
        failure(b.call(ToolInvocation.of("tests.run", args("command", List.of("rm", "-rf", "/")))));

    assertThat(msg)
        .isEqualTo(
            "command [rm, -rf, /] is not allowed (allowed: [["
                + JAVA
                + ", RunTests.java]]; "
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

    assertThat(failure(b.call(ToolInvocation.of("tests.run", args()))))
        .isEqualTo(
            "command 'no-such-test-runner-agentrt' could not be started: no executable 'no-such-test-runner-agentrt' on PATH "
                + "(is it installed and on PATH?)");
  }

  /** Waits until the process is gone (at most 20 s: the assertion, not a sleep, decides). */
  static void assertGone(long pid) throws Exception {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isPresent()) {
      try {
        h.get().onExit().get(20, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "process "
                + pid
                + " ("
                + h.get().info().commandLine().orElse("?")
                + ") is still running",
            e);
      }
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("process %d alive", pid)
        .isFalse();
  }

  @Test
  void run_timeoutWithDetachedGrandchild_killsEveryProcessTheCommandStarted() throws Exception {
    ToolBus b =
        bus(
            "{'command': ['sh', '-c', 'setsid sleep 1000 & echo $! > detached.pid; sleep 1000 & echo $! > child.pid; "
                + "wait'], 'timeout': 'PT3S'}");

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    assertThat(v.get("timed_out").asBoolean()).isTrue();
    assertGone(Long.parseLong(Files.readString(ws.resolve("detached.pid")).strip()));
    assertGone(Long.parseLong(Files.readString(ws.resolve("child.pid")).strip()));
  }

  @Test
  void run_daemonThatLeftTheGroupAndLostItsParent_isKilled() throws Exception {
    // a subshell starts the daemon in a session of its own and exits: no longer in the group, no
    // longer a descendant
    ObjectNode settings = (ObjectNode) TestSupport.json("{'timeout': 'PT3S'}");
    settings
        .putArray("command")
        .add("sh")
        .add("-c")
        .add("(setsid sleep 1000 & echo $! > daemon.pid); sleep 1000");
    ToolBus b = bus(settings);

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    assertThat(v.get("timed_out").asBoolean()).isTrue();
    assertGone(Long.parseLong(Files.readString(ws.resolve("daemon.pid")).strip()));
  }

  @Test
  void run_orphanLeftInTheGroupBeforeTimeout_isKilled() throws Exception {
    // the intermediate shell exits at once: its sleep is re-parented, no longer a descendant, still
    // in the group
    ObjectNode settings = (ObjectNode) TestSupport.json("{'timeout': 'PT3S'}");
    settings
        .putArray("command")
        .add("sh")
        .add("-c")
        .add("sh -c 'sleep 1000 & echo $! > orphan.pid'; sleep 1000");
    ToolBus b = bus(settings);

    JsonNode v = value(b.call(ToolInvocation.of("tests.run", args())));

    assertThat(v.get("timed_out").asBoolean()).isTrue();
    assertGone(Long.parseLong(Files.readString(ws.resolve("orphan.pid")).strip()));
  }

  @Test
  @Timeout(
      value = 120,
      threadMode =
          Timeout.ThreadMode.SEPARATE_THREAD) // a named pipe nobody writes would block forever
  void run_cancelled_killsEveryProcessTheCommandStarted() throws Exception {
    Path fifo = ws.resolve("started");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    ToolBus b =
        bus("{'command': ['sh', '-c', 'setsid sleep 1000 & echo $! > started; sleep 1000']}");
    AtomicBoolean cancelled = new AtomicBoolean();
    ToolInvocation inv =
        new ToolInvocation(
            "tests.run", args(), null, null, "run-1", "tests#0", 0, null, cancelled::get);
    CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> b.call(inv));

    long pid =
        Long.parseLong(
            Files.readString(fifo).strip()); // blocks until the command has started its grandchild
    cancelled.set(true);

    assertThat(call.get(60, TimeUnit.SECONDS)).isInstanceOf(ToolResult.Failure.class);
    assertGone(pid);
  }

  @Test
  @Timeout(
      value = 120,
      threadMode =
          Timeout.ThreadMode.SEPARATE_THREAD) // a named pipe nobody writes would block forever
  void run_twoCallsInOneWorkspace_eachCountsOnlyItsOwnReports() throws Exception {
    Path ready = ws.resolve("ready");
    Path release = ws.resolve("release");
    for (Path f : List.of(ready, release))
      assertThat(new ProcessBuilder("mkfifo", f.toString()).start().waitFor()).isZero();
    String report =
        "mkdir -p target/surefire-reports; "
            + "echo '<testsuite><testcase classname=\"%s\" name=\"t\"/></testsuite>' > target/surefire-reports/TEST-%s.xml";
    List<String> first =
        List.of("sh", "-c", String.format(report, "A", "A") + "; echo > ready; read x < release");
    List<String> second = List.of("sh", "-c", String.format(report, "B", "B"));
    CountDownLatch waiting = new CountDownLatch(1);
    Files.copy(
        Path.of("src/test/resources/tests-run-fixture/RunTests.java"), ws.resolve("RunTests.java"));
    ObjectNode settings = (ObjectNode) TestSupport.json("{}");
    settings.set("command", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(first));
    settings.set(
        "commands", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(second)));
    bus =
        ToolBus.builder()
            .discovery(false)
            .tool(new TestsRunTool(waiting::countDown))
            .policy(ToolPolicy.builder().workspace(ws).toolSettings("tests.run", settings).build())
            .build();

    CompletableFuture<ToolResult> a =
        CompletableFuture.supplyAsync(() -> bus.call(ToolInvocation.of("tests.run", args())));
    Files.readString(ready); // the first command has written its report and waits
    CompletableFuture<ToolResult> b =
        CompletableFuture.supplyAsync(
            () -> bus.call(ToolInvocation.of("tests.run", args("command", second))));
    CompletableFuture.anyOf(
            b,
            CompletableFuture.runAsync(
                () -> {
                  try {
                    waiting.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }))
        .get(60, TimeUnit.SECONDS);
    Files.writeString(release, "go\n");

    JsonNode va = value(a.get(60, TimeUnit.SECONDS));
    JsonNode vb = value(b.get(60, TimeUnit.SECONDS));
    assertThat(List.of(va.get("reports").asInt(), va.get("total").asInt())).containsExactly(1, 1);
    assertThat(List.of(vb.get("reports").asInt(), vb.get("total").asInt())).containsExactly(1, 1);
  }

  @Test
  void reports_malformed_areParsedQuietlyAndReportedInTheResult() throws IOException {
    Path f = ws.resolve("TEST-broken.xml");
    Files.writeString(f, "<testsuite><testcase name='x'>\n</testsuite>");
    JUnitReports.Totals t = new JUnitReports.Totals();
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      JUnitReports.read(f, "target/surefire-reports/TEST-broken.xml", t);
    } finally {
      System.setErr(err);
    }

    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    assertThat(t.failures)
        .containsExactly(
            new JUnitReports.Failure(
                "target/surefire-reports/TEST-broken.xml",
                "(report)",
                "error",
                "MalformedReport",
                "the report is not valid XML: The element type \"testcase\" must be terminated by the "
                    + "matching end-tag \"</testcase>\". (target/surefire-reports/TEST-broken.xml:2:3)",
                null));
  }

  @Test
  void reports_failureErrorAndSkipped_areCounted() throws IOException {
    Path f = ws.resolve("TEST-x.xml");
    Files.writeString(
        f,
        "<testsuite>"
            + "<testcase classname='a.BTest' name='ok'/>"
            + "<testcase classname='a.BTest' name='bad'><failure message='m' type='T'>at a.BTest.bad(BTest.java:7)</failure></testcase>"
            + "<testcase classname='a.BTest' name='boom'><error message='npe' type='java.lang.NullPointerException'>"
            + "java.lang.NullPointerException\n\tat a.Lib.go(Lib.java:3)\n\tat a.BTest.boom(BTest.java:12)</error></testcase>"
            + "<testcase classname='a.BTest' name='later'><skipped/></testcase></testsuite>");
    JUnitReports.Totals t = new JUnitReports.Totals();

    JUnitReports.read(f, t);

    assertThat(List.of(t.tests, t.passed(), t.failed, t.errors, t.skipped))
        .containsExactly(4, 1, 1, 1, 1);
    assertThat(t.failures)
        .containsExactly(
            new JUnitReports.Failure("a.BTest", "bad", "failure", "T", "m", "BTest.java:7"),
            new JUnitReports.Failure(
                "a.BTest",
                "boom",
                "error",
                "java.lang.NullPointerException",
                "npe",
                "BTest.java:12"));
  }

  @Test
  void reports_doctype_isRefusedNotExpanded() throws IOException {
    Path f = ws.resolve("TEST-xxe.xml");
    Files.writeString(
        f,
        "<?xml version='1.0'?><!DOCTYPE t [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
            + "<testsuite><testcase classname='X' name='&x;'/></testsuite>");
    JUnitReports.Totals t = new JUnitReports.Totals();

    JUnitReports.read(f, t);

    assertThat(t.errors).isEqualTo(1);
    assertThat(t.failures.get(0).message())
        .startsWith("the report is not valid XML: DOCTYPE is disallowed");
  }
}
