package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.Manifests;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

  @Test
  void ofStep_runAndStepKey_joinedBySlash() {
    assertThat(IdempotencyKeys.ofStep("run-1", "fork#0[b]/work#1"))
        .isEqualTo("run-1/fork#0[b]/work#1");
  }

  @Test
  void ofCall_runStepKeyAndIndex_joinedByColons() {
    assertThat(IdempotencyKeys.ofCall("run-1", "s#1", 0)).isEqualTo("run-1:s#1:0");
    assertThat(IdempotencyKeys.callId("s#1", 3)).isEqualTo("s#1:3");
  }

  @Test
  void ofCall_negativeIndex_refused() {
    assertThatThrownBy(() -> IdempotencyKeys.ofCall("run-1", "s#1", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callIndex must be >= 0, got -1");
  }

  @Test
  void nodeContext_idempotencyKey_isTheStepKeyOfIdempotencyKeys() {
    NodeContext ctx =
        new NodeContext() {
          @Override
          public String runId() {
            return "r";
          }

          @Override
          public String workflowId() {
            return "wf";
          }

          @Override
          public String stepKey() {
            return "a#2";
          }

          @Override
          public int attempt() {
            return 1;
          }

          @Override
          public Clock clock() {
            return Clock.systemUTC();
          }

          @Override
          public Budget budget() {
            throw new UnsupportedOperationException();
          }

          @Override
          public CallJournal calls() {
            throw new UnsupportedOperationException();
          }

          @Override
          public Manifests manifests() {
            throw new UnsupportedOperationException();
          }

          @Override
          public boolean isCancelled() {
            return false;
          }

          @Override
          public void publish(RunEvent event) {}

          @Override
          public boolean pause(java.time.Duration d) {
            return true;
          }
        };
    assertThat(ctx.idempotencyKey())
        .isEqualTo(IdempotencyKeys.ofStep("r", "a#2"))
        .isEqualTo("r/a#2");
  }
}
