package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {
  static final RunEvent.LlmToken TOKEN =
      new RunEvent.LlmToken("r1", Instant.EPOCH, "ask#0", "default", 2, "Hel");

  @Test
  void deliver_llmToken_callsLlmToken() {
    List<RunEvent.LlmToken> got = new ArrayList<>();
    RunListener l =
        new RunListener() {
          @Override
          public void llmToken(RunEvent.LlmToken event) {
            got.add(event);
          }
        };

    Listeners.deliver(l, TOKEN);

    assertThat(got).containsExactly(TOKEN);
  }

  @Test
  void deliver_llmTokenWithoutOverride_forwardsToOnEvent() {
    List<RunEvent> got = new ArrayList<>();
    RunListener l =
        new RunListener() {
          @Override
          public void onEvent(RunEvent event) {
            got.add(event);
          }
        };

    Listeners.deliver(l, TOKEN);
    RunListener.composite(List.of(l, l)).onEvent(TOKEN);

    assertThat(got).containsExactly(TOKEN, TOKEN, TOKEN);
  }
}
