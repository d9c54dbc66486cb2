package dev.agentrt.tools;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.tool;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolBusTest {
  @TempDir Path ws;
  ToolBus bus;

  ToolBus bus(ToolBus.Builder b) {
    bus = b.discovery(false).build();
    return bus;
  }

  @AfterEach
  void close() {
    if (bus != null) bus.close();
  }

  static ToolInvocation step(String tool, Object... kv) {
    return new ToolInvocation(tool, args(kv), null, null, "run-1", "work#1", 0, null, () -> false);
  }

  @Test
  void call_unknownTool_failsWithDidYouMean() {
    ToolBus b = bus(ToolBus.builder().tools(BuiltinTools.all()));

    ToolResult r = b.call(ToolInvocation.of("fs.reed", args("path", "a")));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.UNKNOWN_TOOL, "unknown tool 'fs.reed' (did you mean 'fs.read'?)"));
  }

  @Test
  void call_unknownToolWithNothingClose_listsKnownTools() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(tool("echo", Effect.NONE, (c, x) -> ToolResult.success(c.argument("text")))));

    assertThat(failure(b.call(ToolInvocation.of("launch.missiles", args()))))
        .isEqualTo("unknown tool 'launch.missiles' (known tools: echo)");
  }

  @Test
  void call_toolOutsideAgentsList_isDeniedNamingTheMissingPermission() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tools(BuiltinTools.all())
                .policy(ToolPolicy.builder().workspace(ws).build()));

    ToolResult r =
        b.call(
            ToolInvocation.of("fs.write", args("path", "x", "content", "y"))
                .byAgent("reviewer", List.of("fs.read", "grep")));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.DENIED,
                "tool 'fs.write' denied: agent 'reviewer' lacks permission 'fs.write' (add fs.write to tools: in agents/reviewer.yml)"));
  }

  @Test
  void call_toolDisabledByPolicy_isDeniedNamingThePolicySetting() {
    ToolPolicy policy =
        ToolPolicy.builder()
            .workspace(ws)
            .toolSettings("fs.read", TestSupport.json("{'enabled': false}"))
            .build();
    ToolBus b = bus(ToolBus.builder().tools(BuiltinTools.all()).policy(policy));

    ToolResult r =
        b.call(
            ToolInvocation.of("fs.read", args("path", "x"))
                .byAgent("engineer", List.of("fs.read")));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.DENIED,
                "tool 'fs.read' denied: disabled by policy (policy.tools.fs.read.enabled is false in config.yml)"));
  }

  @Test
  void call_httpWithEmptyAllowlist_isDeniedNamingPermissionNet() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tools(BuiltinTools.all())
                .policy(ToolPolicy.builder().workspace(ws).build()));

    assertThat(failure(b.call(ToolInvocation.of("http", args("url", "https://api.github.com/")))))
        .isEqualTo(
            "tool 'http' denied: policy does not grant permission 'net': policy.http_allow is empty "
                + "(list the hosts the tool may reach in policy.http_allow in config.yml)");
  }

  @Test
  void call_argumentsNotMatchingSchema_returnsValidationMessage() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tools(BuiltinTools.all())
                .policy(ToolPolicy.builder().workspace(ws).build()));

    ToolResult r = b.call(ToolInvocation.of("fs.read", args("path", 3, "extra", true)));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.INVALID_ARGUMENTS,
                "tool 'fs.read': invalid arguments: "
                    + "/path: integer found, string expected; property 'extra' is not defined in the schema and the schema does not allow additional properties"));
  }

  @Test
  void call_missingRequiredArgument_returnsValidationMessage() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tools(BuiltinTools.all())
                .policy(ToolPolicy.builder().workspace(ws).build()));

    assertThat(
            failure(b.call(ToolInvocation.of("fs.write", args("path", "x", "mode", "truncate")))))
        .isEqualTo(
            "tool 'fs.write': invalid arguments: /mode: does not have a value in the enumeration "
                + "[\"create\", \"overwrite\", \"append\"]; required property 'content' not found");
  }

  @Test
  void call_toolThrows_returnsFailureNamingToolAndCall() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "boom",
                        Effect.NONE,
                        (c, x) -> {
                          throw new IllegalStateException("disk on fire");
                        })));

    ToolResult r = b.call(step("boom", "text", "x"));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.ERROR,
                "tool 'boom': call work#1:0 failed: IllegalStateException: disk on fire"));
  }

  @Test
  void call_toolReturnsNull_returnsFailure() {
    ToolBus b = bus(ToolBus.builder().tool(tool("null", Effect.NONE, (c, x) -> null)));

    assertThat(failure(b.call(step("null"))))
        .isEqualTo(
            "tool 'null': call work#1:0 returned no result "
                + "(a tool must return ToolResult.success(...) or ToolResult.failure(...))");
  }

  @Test
  void call_toolBlocksPastTimeout_returnsTimeoutAndInterruptsTool() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    ToolPolicy policy =
        ToolPolicy.builder()
            .workspace(ws)
            .toolSettings("slow", TestSupport.json("{'timeout': 'PT0.2S'}"))
            .build();
    ToolBus b =
        bus(
            ToolBus.builder()
                .policy(policy)
                .tool(
                    tool(
                        "slow",
                        Effect.NONE,
                        (c, x) -> {
                          try {
                            new CountDownLatch(1).await();
                          } catch (InterruptedException e) {
                            interrupted.countDown();
                          }
                          return ToolResult.success(TextNode.valueOf("late"));
                        })));

    ToolResult r = b.call(step("slow"));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.TIMEOUT,
                "tool 'slow': call work#1:0 timed out after 0.2s (raise policy.tools.slow.timeout in config.yml)"));
    assertThat(interrupted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void call_runCancelled_doesNotStartTool() {
    AtomicInteger runs = new AtomicInteger();
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "t",
                        Effect.NONE,
                        (c, x) -> {
                          runs.incrementAndGet();
                          return ToolResult.success(TextNode.valueOf("x"));
                        })));

    ToolResult r =
        b.call(new ToolInvocation("t", args(), null, null, "run-1", "s#1", 0, null, () -> true));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.CANCELLED,
                "tool 't': call s#1:0 was not started: the run was cancelled"));
    assertThat(runs).hasValue(0);
  }

  @Test
  void call_resultLargerThanCap_isTruncatedAndMarked() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .maxOutputBytes(100)
                .tool(
                    tool(
                        "big",
                        Effect.NONE,
                        (c, x) -> ToolResult.success(TextNode.valueOf("x".repeat(500))))));

    ToolResult r = b.call(step("big"));

    assertThat(r).isInstanceOf(ToolResult.Success.class);
    assertThat(((ToolResult.Success) r).truncated()).isTrue();
    assertThat(value(r))
        .isEqualTo(
            TestSupport.json(
                "{'truncated': true, 'size_bytes': 502, 'limit_bytes': 100, 'preview': '\\\""
                    + "x".repeat(99)
                    + "'}"));
  }

  @Test
  void call_passesIdempotencyKeyAndCallId() {
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "key",
                        Effect.IDEMPOTENT,
                        (c, x) ->
                            ToolResult.success(
                                TextNode.valueOf(c.id() + " " + c.idempotencyKey())))));

    ToolResult r =
        b.call(
            new ToolInvocation(
                "key", args(), null, null, "run-7", "fix#2/0", 3, null, () -> false));

    assertThat(value(r).asText()).isEqualTo("fix#2/0:3 run-7:fix#2/0:3");
  }

  @Test
  void call_effectFreeTool_isCommittedToJournalAtOnce() {
    TestSupport.MemoryJournal j = new TestSupport.MemoryJournal();
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(tool("echo", Effect.NONE, (c, x) -> ToolResult.success(c.argument("text")))));

    b.call(
        new ToolInvocation(
            "echo", args("text", "hi"), null, null, "run-1", "s#1", 0, j, () -> false));

    assertThat(j.withStep).isEmpty();
    assertThat(j.committed)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(CallKind.TOOL);
              assertThat(c.name()).isEqualTo("echo");
              assertThat(c.request())
                  .isEqualTo(TestSupport.json("{'tool': 'echo', 'arguments': {'text': 'hi'}}"));
              assertThat(c.response()).isEqualTo(TestSupport.json("{'ok': true, 'value': 'hi'}"));
              assertThat(c.requestHash()).hasSize(64);
            });
  }

  @Test
  void call_effectfulTool_recordsIntentFirstAndResultWithTheStep() {
    TestSupport.MemoryJournal j = new TestSupport.MemoryJournal();
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "send",
                        Effect.NON_IDEMPOTENT,
                        (c, x) -> {
                          assertThat(j.committed)
                              .hasSize(1); // the intent is durable before the effect
                          return ToolResult.success(TextNode.valueOf("sent"));
                        })));

    b.call(
        new ToolInvocation(
            "send", args("text", "hi"), null, null, "run-1", "s#1", 0, j, () -> false));

    assertThat(j.committed)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(CallKind.INTENT);
              assertThat(c.response())
                  .isEqualTo(
                      TestSupport.json(
                          "{'tool': 'send', 'effect': 'non_idempotent', 'idempotency_key': 'run-1:s#1:0'}"));
            });
    assertThat(j.withStep)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(CallKind.TOOL);
              assertThat(c.response()).isEqualTo(TestSupport.json("{'ok': true, 'value': 'sent'}"));
            });
  }

  @Test
  void call_recordedResultOnResume_isReusedWithoutRunningTool() {
    AtomicInteger runs = new AtomicInteger();
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "echo",
                        Effect.NONE,
                        (c, x) -> {
                          runs.incrementAndGet();
                          return ToolResult.success(c.argument("text"));
                        })));
    TestSupport.MemoryJournal first = new TestSupport.MemoryJournal();
    b.call(
        new ToolInvocation(
            "echo", args("text", "hi"), null, null, "run-1", "s#1", 0, first, () -> false));
    TestSupport.MemoryJournal resumed = new TestSupport.MemoryJournal();
    resumed.earlier.addAll(first.committed);

    ToolResult r =
        b.call(
            new ToolInvocation(
                "echo", args("text", "hi"), null, null, "run-1", "s#1", 0, resumed, () -> false));

    assertThat(value(r).asText()).isEqualTo("hi");
    assertThat(runs).hasValue(1);
    assertThat(resumed.committed).isEmpty();
  }

  @Test
  void call_nonIdempotentIntentWithoutResultOnResume_isNotRepeated() {
    AtomicInteger runs = new AtomicInteger();
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "send",
                        Effect.NON_IDEMPOTENT,
                        (c, x) -> {
                          runs.incrementAndGet();
                          return ToolResult.success(TextNode.valueOf("sent"));
                        })));
    TestSupport.MemoryJournal crashed = new TestSupport.MemoryJournal();
    b.call(
        new ToolInvocation(
            "send", args("text", "hi"), null, null, "run-1", "s#1", 0, crashed, () -> false));
    TestSupport.MemoryJournal resumed = new TestSupport.MemoryJournal();
    resumed.earlier.addAll(crashed.committed); // the intent only: the step never committed

    ToolResult r =
        b.call(
            new ToolInvocation(
                "send", args("text", "hi"), null, null, "run-1", "s#1", 0, resumed, () -> false));

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.INDETERMINATE_EFFECT,
                "tool 'send': call s#1:0 was started "
                    + "by an earlier execution and its result was not recorded; the tool is non-idempotent, so it was not called again "
                    + "(check whether the effect happened, then resume the run with {\"effect\": \"retry\"}, {\"effect\": \"skip\"} "
                    + "or {\"effect\": \"fail\"})"));
    assertThat(runs).hasValue(1);
  }

  /**
   * A bus with a non-idempotent {@code send} whose calls are counted, and a journal holding only
   * its intent.
   */
  private TestSupport.MemoryJournal crashedSend(ToolBus b) {
    TestSupport.MemoryJournal crashed = new TestSupport.MemoryJournal();
    b.call(
        new ToolInvocation(
            "send", args("text", "hi"), null, null, "run-1", "s#1", 0, crashed, () -> false));
    TestSupport.MemoryJournal resumed = new TestSupport.MemoryJournal();
    resumed.earlier.addAll(crashed.committed); // the intent only: the step never committed
    return resumed;
  }

  private static ToolInvocation send(TestSupport.MemoryJournal j) {
    return new ToolInvocation(
        "send", args("text", "hi"), null, null, "run-1", "s#1", 0, j, () -> false);
  }

  private ToolBus sendBus(List<String> keys, String policySetting) {
    ToolPolicy.Builder p = ToolPolicy.builder().workspace(ws);
    if (policySetting != null)
      p.toolSettings("send", TestSupport.json("{'on_indeterminate': '" + policySetting + "'}"));
    return bus(
        ToolBus.builder()
            .policy(p.build())
            .tool(
                tool(
                    "send",
                    Effect.NON_IDEMPOTENT,
                    (c, x) -> {
                      keys.add(c.idempotencyKey());
                      return ToolResult.success(TextNode.valueOf("sent"));
                    })));
  }

  @Test
  void call_nonIdempotentIntentWithDecisionRetry_isReissuedWithTheSameKey() {
    List<String> keys = new CopyOnWriteArrayList<>();
    ToolBus b = sendBus(keys, null);
    TestSupport.MemoryJournal resumed = crashedSend(b);

    ToolResult r = b.call(send(resumed), OnIndeterminate.RETRY);

    assertThat(value(r).asText()).isEqualTo("sent");
    assertThat(keys).containsExactly("run-1:s#1:0", "run-1:s#1:0");
    assertThat(resumed.committed)
        .singleElement()
        .satisfies(c -> assertThat(c.kind()).isEqualTo(CallKind.INTENT));
    assertThat(resumed.withStep)
        .singleElement()
        .satisfies(c -> assertThat(c.kind()).isEqualTo(CallKind.TOOL));
  }

  @Test
  void call_nonIdempotentIntentWithDecisionSkip_succeedsWithoutCallingAndRecordsTheSkip() {
    List<String> keys = new CopyOnWriteArrayList<>();
    ToolBus b = sendBus(keys, null);
    TestSupport.MemoryJournal resumed = crashedSend(b);

    ToolResult r = b.call(send(resumed), OnIndeterminate.SKIP);

    assertThat(value(r))
        .isEqualTo(TestSupport.json("{'skipped': true, 'tool': 'send', 'call': 's#1:0'}"));
    assertThat(keys).hasSize(1);
    assertThat(resumed.committed).isEmpty();
    assertThat(resumed.withStep)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.response())
                    .isEqualTo(
                        TestSupport.json(
                            "{'ok': true, 'value': {'skipped': true, 'tool': 'send', 'call': 's#1:0'}}")));
  }

  @Test
  void call_nonIdempotentIntentWithDecisionFail_isDeniedNamingTheCallWithoutCalling() {
    List<String> keys = new CopyOnWriteArrayList<>();
    ToolBus b = sendBus(keys, null);
    TestSupport.MemoryJournal resumed = crashedSend(b);

    ToolResult r = b.call(send(resumed), OnIndeterminate.FAIL);

    assertThat(r)
        .isEqualTo(
            new ToolResult.Failure(
                ToolFailureKind.DENIED,
                "tool 'send': call s#1:0 was started by an "
                    + "earlier execution and its result was not recorded; it was not called again and fails (decision: fail)"));
    assertThat(keys).hasSize(1);
    assertThat(resumed.committed).isEmpty();
    assertThat(resumed.withStep).isEmpty();
  }

  @Test
  void call_nonIdempotentIntentWithDecisionWait_isIndeterminate() {
    List<String> keys = new CopyOnWriteArrayList<>();
    ToolBus b = sendBus(keys, "skip");
    TestSupport.MemoryJournal resumed = crashedSend(b);

    ToolResult r =
        b.call(send(resumed), OnIndeterminate.WAIT); // the caller's decision wins over the policy

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failure.class,
            f -> assertThat(f.kind()).isEqualTo(ToolFailureKind.INDETERMINATE_EFFECT));
    assertThat(keys).hasSize(1);
  }

  @Test
  void call_policyOnIndeterminate_decidesWithoutACallerDecision() {
    List<String> retried = new CopyOnWriteArrayList<>();
    ToolBus retry = sendBus(retried, "retry");
    assertThat(retry.onIndeterminate("send")).isEqualTo(OnIndeterminate.RETRY);
    assertThat(value(retry.call(send(crashedSend(retry)))).asText()).isEqualTo("sent");
    assertThat(retried).containsExactly("run-1:s#1:0", "run-1:s#1:0");
    retry.close();

    ToolBus skip = sendBus(new CopyOnWriteArrayList<>(), "skip");
    assertThat(value(skip.call(send(crashedSend(skip)))).path("skipped").asBoolean()).isTrue();
    skip.close();

    ToolBus fail = sendBus(new CopyOnWriteArrayList<>(), "fail");
    assertThat(fail.call(send(crashedSend(fail))))
        .isInstanceOfSatisfying(
            ToolResult.Failure.class, f -> assertThat(f.kind()).isEqualTo(ToolFailureKind.DENIED));
    fail.close();

    ToolBus dflt = sendBus(new CopyOnWriteArrayList<>(), null);
    assertThat(dflt.onIndeterminate("send")).isEqualTo(OnIndeterminate.WAIT);
    assertThat(dflt.call(send(crashedSend(dflt))))
        .isInstanceOfSatisfying(
            ToolResult.Failure.class,
            f -> assertThat(f.kind()).isEqualTo(ToolFailureKind.INDETERMINATE_EFFECT));
  }

  @Test
  void call_decisionForACallWithoutIntent_isIgnored() {
    List<String> keys = new CopyOnWriteArrayList<>();
    ToolBus b = sendBus(keys, null);

    ToolResult r = b.call(send(new TestSupport.MemoryJournal()), OnIndeterminate.SKIP);

    assertThat(value(r).asText()).isEqualTo("sent");
    assertThat(keys).hasSize(1);
  }

  @Test
  void build_malformedOnIndeterminate_throwsNamingTheSettingAndTheChoices() {
    ToolPolicy p =
        ToolPolicy.builder()
            .workspace(ws)
            .toolSettings("send", TestSupport.json("{'on_indeterminate': 'ask'}"))
            .build();
    ToolBus.Builder b =
        ToolBus.builder()
            .discovery(false)
            .policy(p)
            .tool(
                tool(
                    "send",
                    Effect.NON_IDEMPOTENT,
                    (c, x) -> ToolResult.success(TextNode.valueOf("sent"))));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "policy.tools.send.on_indeterminate: 'ask' is not one of wait, retry, skip, fail");
  }

  @Test
  void call_idempotentIntentWithoutResultOnResume_isReissued() {
    AtomicInteger runs = new AtomicInteger();
    ToolBus b =
        bus(
            ToolBus.builder()
                .tool(
                    tool(
                        "put",
                        Effect.IDEMPOTENT,
                        (c, x) -> {
                          runs.incrementAndGet();
                          return ToolResult.success(TextNode.valueOf(c.idempotencyKey()));
                        })));
    String hash = hashOf(b, "put");
    runs.set(0);
    TestSupport.MemoryJournal resumed = new TestSupport.MemoryJournal();
    resumed.earlier.add(
        new CallRecord(
            "run-1",
            "s#1",
            0,
            CallKind.INTENT,
            "put",
            hash,
            TestSupport.json("{}"),
            TestSupport.json("{}"),
            BudgetUsage.ZERO,
            Instant.EPOCH,
            Duration.ZERO));

    ToolResult r =
        b.call(
            new ToolInvocation("put", args(), null, null, "run-1", "s#1", 0, resumed, () -> false));

    assertThat(value(r).asText()).isEqualTo("run-1:s#1:0");
    assertThat(runs).hasValue(1);
  }

  private static String hashOf(ToolBus b, String tool) {
    TestSupport.MemoryJournal j = new TestSupport.MemoryJournal();
    b.call(new ToolInvocation(tool, args(), null, null, "x", "x", 0, j, () -> false));
    return (j.committed.isEmpty() ? j.withStep : j.committed).get(0).requestHash();
  }

  @Test
  void call_everyCall_isReportedToListenersEvenWhenOneThrows() {
    List<ToolCallListener.Event> events = new CopyOnWriteArrayList<>();
    ToolBus b =
        bus(
            ToolBus.builder()
                .listener(
                    e -> {
                      throw new IllegalStateException("listener bug");
                    })
                .listener(events::add)
                .tool(tool("echo", Effect.NONE, (c, x) -> ToolResult.success(c.argument("text")))));

    b.call(step("echo", "text", "a"));
    b.call(step("nope"));

    assertThat(events).extracting(ToolCallListener.Event::tool).containsExactly("echo", "nope");
    assertThat(events.get(0).result()).isEqualTo(ToolResult.success(TextNode.valueOf("a")));
    assertThat(events.get(1).result()).isInstanceOf(ToolResult.Failure.class);
    assertThat(events.get(0).arguments()).isEqualTo(args("text", "a"));
  }

  @Test
  void builder_twoToolsWithOneName_failsNamingBothClasses() {
    ToolBus.Builder b = ToolBus.builder().tool(BuiltinTools.fsRead());

    assertThatThrownBy(() -> b.tool(BuiltinTools.fsRead()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "two tools registered as 'fs.read': dev.agentrt.tools.internal.FsTools$ReadTool, "
                + "dev.agentrt.tools.internal.FsTools$ReadTool (rename one, or register only one)");
  }

  @Test
  void builder_withDiscovery_findsBuiltinToolsAndRegisteredToolWins() {
    var mine = tool("grep", Effect.NONE, (c, x) -> ToolResult.success(TextNode.valueOf("mine")));
    bus = ToolBus.builder().tool(mine).policy(ToolPolicy.builder().workspace(ws).build()).build();

    assertThat(bus.descriptors())
        .extracting(d -> d.name())
        .containsExactly(
            "grep",
            "fs.read",
            "fs.write",
            "fs.list",
            "http",
            "json.query",
            "yaml.parse",
            "yaml.dump",
            "tests.run");
    assertThat(value(bus.call(ToolInvocation.of("grep", args("text", "x")))).asText())
        .isEqualTo("mine");
  }

  @Test
  void policy_malformedTimeout_failsNamingSetting() {
    ToolPolicy policy =
        ToolPolicy.builder()
            .workspace(ws)
            .toolSettings("fs.read", TestSupport.json("{'timeout': '5 minutes'}"))
            .build();

    assertThatThrownBy(
            () ->
                ToolBus.builder().discovery(false).tools(BuiltinTools.all()).policy(policy).build())
        .hasMessage(
            "policy.tools.fs.read.timeout: '5 minutes' is not a duration (write 500ms, 30s, 10m, 2h, 90d, or"
                + " ISO-8601 like PT30S)");
  }

  @Test
  void policy_malformedFileToolSize_failsNamingSetting() {
    ToolPolicy policy =
        ToolPolicy.builder()
            .workspace(ws)
            .toolSettings("fs.read", TestSupport.json("{'max_bytes': 'lots'}"))
            .build();

    assertThatThrownBy(
            () ->
                ToolBus.builder().discovery(false).tools(BuiltinTools.all()).policy(policy).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy.tools.fs.read.max_bytes: 'lots' is not a positive whole number");
  }

  @Test
  void policy_missingWorkspace_failsNamingDirectory() {
    assertThatThrownBy(() -> ToolPolicy.builder().workspace(ws.resolve("nope")).build())
        .hasMessage(
            "policy.workspace: directory '"
                + ws.resolve("nope")
                + "' does not exist (create it, or point policy.workspace in config.yml at a directory)");
  }

  @Test
  void toolCall_argumentsAs_bindsSnakeCaseToRecord() {
    record A(String path, Integer startLine) {}
    var call =
        new dev.agentrt.core.spi.ToolCall("s:0", "t", args("path", "p", "start_line", 4), "k");

    assertThat(call.argumentsAs(A.class)).isEqualTo(new A("p", 4));
  }

  @Test
  void toolCall_arguments_isACopy() {
    var call = new dev.agentrt.core.spi.ToolCall("s:0", "t", args("path", "p"), "k");

    ((com.fasterxml.jackson.databind.node.ObjectNode) call.arguments()).put("path", "changed");

    assertThat(call.argument("path").asText()).isEqualTo("p");
  }
}
