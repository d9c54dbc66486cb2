package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallKindTest {

  @Test
  void wireNames_areTheStringsEarlierVersionsPersisted() {
    assertThat(CallKind.values())
        .extracting(CallKind::wireName)
        .containsExactly("llm", "tool", "intent", "trace", "message", "router");
  }

  @Test
  void fromWireName_everyWireName_readsBackItsKind() {
    for (CallKind k : CallKind.values()) {
      assertThat(CallKind.fromWireName(k.wireName())).isSameAs(k);
      assertThat(k).hasToString(k.wireName());
    }
  }

  @Test
  void fromWireName_unknownOrUpperCase_failsNamingTheNameAndTheKnownOnes() {
    assertThatThrownBy(() -> CallKind.fromWireName("telepathy"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown call kind 'telepathy' (known: llm, tool, intent, trace, message, router)");
    assertThatThrownBy(() -> CallKind.fromWireName("LLM"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
