package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.json;
import static dev.agentrt.core.engine.Fixture.keys;
import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * interrupt: before|after suspends a run; resume continues it without executing completed steps
 * again.
 */
class InterruptsTest {
  @TempDir Path dir;

  private static String workflow(String mode) {
    return """
        id: approval
        nodes:
          - {id: start, role: start}
          - {id: prep, kind: function, function: prep}
          - {id: approve, kind: function, function: approve, interrupt: MODE}
          - {id: publish, kind: function, function: publish}
          - {id: done, role: exit, output: "{{publish}}"}
        edges:
          - {from: start, to: prep}
          - {from: prep, to: approve}
          - {from: approve, to: publish}
          - {from: publish, to: done}
        """
        .replace("MODE", mode);
  }

  private static final String TWICE =
      """
        id: twice
        nodes:
          - {id: start, role: start}
          - {id: approve, kind: transform, template: "approved", interrupt: before}
          - {id: confirm, kind: transform, template: "confirmed", interrupt: before}
          - {id: publish, kind: transform, template: {approve: "{{$resume.approve}}", confirm: "{{$resume.confirm}}"}}
          - {id: done, role: exit, output: "{{publish}}"}
        edges:
          - {from: start, to: approve}
          - {from: approve, to: confirm}
          - {from: confirm, to: publish}
          - {from: publish, to: done}
        """;

  private final AtomicInteger prepCalls = new AtomicInteger();
  private final AtomicInteger approveCalls = new AtomicInteger();
  private final AtomicReference<JsonNode> approveSaw = new AtomicReference<>();
  private final AtomicReference<JsonNode> publishSaw = new AtomicReference<>();

  private AgentRuntime runtimeFor(String mode) {
    return runtime(dir, workflow(mode))
        .function("prep", (in, ctx) -> TextNode.valueOf("prepared " + prepCalls.incrementAndGet()))
        .function(
            "approve",
            (in, ctx) -> {
              approveCalls.incrementAndGet();
              approveSaw.set(in.get("$resume.approve"));
              return TextNode.valueOf("approved");
            })
        .function(
            "publish",
            (in, ctx) -> {
              publishSaw.set(in.get("$resume.approve"));
              return TextNode.valueOf(in.get("prep").asText() + ", " + in.get("approve").asText());
            })
        .build();
  }

  @Test
  void run_interruptBefore_waitsWithInterruptedAndStepKey() {
    try (AgentRuntime rt = runtimeFor("before")) {
      RunResult r = rt.run("approval", null);

      assertThat(r.status()).isEqualTo(RunStatus.WAITING);
      assertThat(r.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(r.stepKey()).isEqualTo("approve#0");
      assertThat(r.message())
          .isEqualTo("run waits before node 'approve' (step 'approve#0'): resume it with input");
      assertThat(keys(r)).containsExactly("start#0", "prep#0");
      assertThat(approveCalls.get()).isZero();
    }
  }

  @Test
  void resume_interruptBefore_nodeSeesResumeInputAndCompletedStepsAreNotRerun() {
    try (AgentRuntime rt = runtimeFor("before")) {
      RunResult waiting = rt.run("approval", null);

      RunResult r = rt.resume(waiting.runId(), Map.of("ok", true));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.runId()).isEqualTo(waiting.runId());
      assertThat(approveSaw.get()).isEqualTo(json("{\"ok\": true}"));
      assertThat(r.output().asText()).isEqualTo("prepared 1, approved");
      assertThat(prepCalls.get()).isEqualTo(1);
      assertThat(approveCalls.get()).isEqualTo(1);
      assertThat(keys(r)).containsExactly("start#0", "prep#0", "approve#0", "publish#0", "done#0");
    }
  }

  @Test
  void resume_interruptBeforeWithoutInput_runsNodeWithNullResumeInput() {
    try (AgentRuntime rt = runtimeFor("before")) {
      RunResult waiting = rt.run("approval", null);

      RunResult r = rt.resume(waiting.runId(), null);

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output().asText()).isEqualTo("prepared 1, approved");
      assertThat(approveCalls.get()).isEqualTo(1);
      assertThat(approveSaw.get()).isEqualTo(NullNode.getInstance());
      assertThat(publishSaw.get()).isEqualTo(NullNode.getInstance());
      assertThat(keys(r)).containsExactly("start#0", "prep#0", "approve#0", "publish#0", "done#0");
    }
  }

  @Test
  void resume_interruptBeforeWithoutInput_nextInterruptStillWaits() {
    try (AgentRuntime rt = runtime(dir, TWICE).build()) {
      RunResult first = rt.run("twice", null);

      RunResult second = rt.resume(first.runId(), null);
      RunResult r = rt.resume(first.runId(), Map.of("by", "bob"));

      assertThat(second.status()).isEqualTo(RunStatus.WAITING);
      assertThat(second.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(second.stepKey()).isEqualTo("confirm#0");
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output()).isEqualTo(json("{\"approve\": null, \"confirm\": {\"by\": \"bob\"}}"));
    }
  }

  @Test
  void resume_interruptAfterWithoutInput_waitsAgainWithoutRerunningTheNode() {
    try (AgentRuntime rt = runtimeFor("after")) {
      RunResult waiting = rt.run("approval", null);

      RunResult r = rt.resume(waiting.runId(), null);

      assertThat(r.status()).isEqualTo(RunStatus.WAITING);
      assertThat(r.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(r.stepKey()).isEqualTo("approve#0");
      assertThat(approveCalls.get()).isEqualTo(1);
      assertThat(publishSaw.get()).isNull();
    }
  }

  @Test
  void run_interruptAfter_waitsAfterNodeRan() {
    try (AgentRuntime rt = runtimeFor("after")) {
      RunResult r = rt.run("approval", null);

      assertThat(r.status()).isEqualTo(RunStatus.WAITING);
      assertThat(r.reason()).isEqualTo(FailureReason.INTERRUPTED);
      assertThat(r.stepKey()).isEqualTo("approve#0");
      assertThat(r.message())
          .isEqualTo("run waits after node 'approve' (step 'approve#0'): resume it with input");
      assertThat(keys(r)).containsExactly("start#0", "prep#0", "approve#0");
      assertThat(approveCalls.get()).isEqualTo(1);
    }
  }

  @Test
  void resume_interruptAfter_nextNodeSeesResumeInputAndNodeIsNotRerun() {
    try (AgentRuntime rt = runtimeFor("after")) {
      RunResult waiting = rt.run("approval", null);

      RunResult r = rt.resume(waiting.runId(), Map.of("ok", "yes"));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(publishSaw.get()).isEqualTo(json("{\"ok\": \"yes\"}"));
      assertThat(r.output().asText()).isEqualTo("prepared 1, approved");
      assertThat(prepCalls.get()).isEqualTo(1);
      assertThat(approveCalls.get()).isEqualTo(1);
      assertThat(keys(r)).containsExactly("start#0", "prep#0", "approve#0", "publish#0", "done#0");
    }
  }

  @Test
  void resume_secondInterrupt_earlierResumeInputStaysInState() {
    String wf = TWICE;
    try (AgentRuntime rt = runtime(dir, wf).build()) {
      RunResult first = rt.run("twice", null);
      RunResult second = rt.resume(first.runId(), Map.of("by", "ann"));

      RunResult r = rt.resume(first.runId(), Map.of("by", "bob"));

      assertThat(second.status()).isEqualTo(RunStatus.WAITING);
      assertThat(second.stepKey()).isEqualTo("confirm#0");
      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(r.output())
          .isEqualTo(json("{\"approve\": {\"by\": \"ann\"}, \"confirm\": {\"by\": \"bob\"}}"));
    }
  }

  private static final String EFFECT =
      """
        id: effect
        nodes:
          - {id: start, role: start}
          - {id: send, kind: effectful}
          - {id: done, role: exit, output: "{{send}}"}
        edges:
          - {from: start, to: send}
          - {from: send, to: done}
        """;
  private static final dev.agentrt.core.spi.NodeExecutor EFFECTFUL =
      new dev.agentrt.core.spi.NodeExecutor() {
        @Override
        public String kind() {
          return "effectful";
        }

        @Override
        public dev.agentrt.core.spi.NodeOutcome execute(
            dev.agentrt.core.spi.NodeInput input, dev.agentrt.core.spi.NodeContext context) {
          com.fasterxml.jackson.databind.JsonNode decision = input.get("$resume.send.effect");
          if (decision.isMissingNode()) {
            return new dev.agentrt.core.spi.NodeOutcome.Suspended(
                dev.agentrt.core.FailureReason.INDETERMINATE_EFFECT,
                "call send#0:0 may or may not have happened");
          }
          return dev.agentrt.core.spi.NodeOutcome.completed(
              com.fasterxml.jackson.databind.node.TextNode.valueOf(
                  "decided: " + decision.asText()));
        }
      };

  @Test
  void resume_executorSuspendedStepWithoutInput_waitsAgain() {
    try (AgentRuntime rt = runtime(dir, EFFECT).nodeExecutor(EFFECTFUL).build()) {
      RunResult waiting = rt.run("effect", null);

      RunResult r = rt.resume(waiting.runId(), null);

      assertThat(r.status()).isEqualTo(RunStatus.WAITING);
      assertThat(r.reason()).isEqualTo(FailureReason.INDETERMINATE_EFFECT);
      assertThat(r.stepKey()).isEqualTo("send#0");
    }
  }

  @Test
  void resume_executorSuspendedStep_executorSeesTheResumeInput() {
    try (AgentRuntime rt = runtime(dir, EFFECT).nodeExecutor(EFFECTFUL).build()) {
      RunResult waiting = rt.run("effect", null);
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
      assertThat(waiting.reason()).isEqualTo(dev.agentrt.core.FailureReason.INDETERMINATE_EFFECT);
      assertThat(waiting.message())
          .isEqualTo("step 'send#0': call send#0:0 may or may not have happened");

      RunResult done = rt.resume(waiting.runId(), java.util.Map.of("effect", "skip"));

      assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(done.output().asText()).isEqualTo("decided: skip");
    }
  }
}
