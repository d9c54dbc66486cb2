package dev.agentrt.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.StoreValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RowCodecTest {
  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  final RowCodec rows = new RowCodec(Path.of("runs.db"), 64, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void encode_null_isTheNullColumnValue() {
    assertThat(rows.encode(NullNode.getInstance())).isSameAs(RowCodec.Encoded.NULL);
  }

  @Test
  void encode_valueWithinThreshold_isInline() {
    RowCodec.Encoded e = rows.encode(JsonNodeFactory.instance.textNode("short"));

    assertThat(e.inline()).isTrue();
    assertThat(e.text()).isEqualTo("\"short\"");
    assertThat(e.sha256()).isNull();
  }

  @Test
  void encode_valueOverThreshold_isAnArtifactHashedAndDatedByTheStoreClock() {
    RowCodec.Encoded e = rows.encode(JsonNodeFactory.instance.textNode("x".repeat(100)));

    assertThat(e.inline()).isFalse();
    assertThat(e.text()).isNull();
    assertThat(new String(e.bytes(), StandardCharsets.UTF_8))
        .isEqualTo("\"" + "x".repeat(100) + "\"");
    assertThat(e.sha256()).isEqualTo(Codec.sha256(e.bytes()));
    assertThat(e.createdAtNs()).isEqualTo(Codec.nanos(NOW));
  }

  @Test
  void codes_everyConstantHasOne_andTheyNeverMove() {
    assertThat(Codes.RUN_STATUS.complete()).isTrue();
    assertThat(Codes.REASON.complete()).isTrue();
    assertThat(Codes.STEP_STATUS.complete()).isTrue();
    // written to databases: a code must never change (append new constants, never reorder)
    assertThat(Codes.RUN_STATUS.of(RunStatus.RUNNING)).isEqualTo(1);
    assertThat(Codes.RUN_STATUS.of(RunStatus.QUEUED)).isEqualTo(6);
    assertThat(Codes.REASON.of(FailureReason.NODE_FAILED)).isEqualTo(1);
    assertThat(Codes.REASON.of(FailureReason.RELEASED)).isEqualTo(9);
    assertThat(Codes.STEP_STATUS.of(StepStatus.COMPLETED)).isEqualTo(1);
    assertThat(Codes.STEP_STATUS.of(StepStatus.RESUMED)).isEqualTo(4);
    assertThat(Codes.RUN_STATUS.value(0)).isNull();
    assertThat(Codes.RUN_STATUS.value(7)).isNull();
  }

  @Test
  void nodeId_storedOnlyWhenTheStepKeyDoesNotNameIt() {
    assertThat(RowCodec.storedNodeId("ask#0", "ask")).isNull();
    assertThat(RowCodec.storedNodeId("sub#0/chat#12", "chat")).isNull();
    assertThat(RowCodec.storedNodeId("sub#0~2/chat#1", "chat")).isNull();
    assertThat(RowCodec.storedNodeId("fan#0", "other")).isEqualTo("other");
    assertThat(RowCodec.storedNodeId("odd", "odd")).isNull();
    assertThat(RowCodec.nodeOf("sub#0/chat#12")).isEqualTo("chat");
  }

  @Test
  void message_standardWaitMessagesAreCodes_anyOtherTextIsKept() {
    String before = StoreValues.waitMessage("ask", "sub#0/ask#3", true);
    String after = StoreValues.waitMessage("ask", "sub#0/ask#3", false);

    assertThat(RowCodec.storedMessage("sub#0/ask#3", before)).isEqualTo(RowCodec.WAITS_BEFORE);
    assertThat(RowCodec.storedMessage("sub#0/ask#3", after)).isEqualTo(RowCodec.WAITS_AFTER);
    // another step's message, another node's, or free text: kept as written
    assertThat(RowCodec.storedMessage("sub#0/ask#4", before)).isEqualTo(before);
    String otherNode = StoreValues.waitMessage("review", "sub#0/ask#3", true);
    assertThat(RowCodec.storedMessage("sub#0/ask#3", otherNode)).isEqualTo(otherNode);
    assertThat(RowCodec.storedMessage("a#0", "boom")).isEqualTo("boom");
    assertThat(RowCodec.storedMessage(null, before)).isEqualTo(before);
    assertThat(RowCodec.storedMessage("a#0", null)).isNull();
  }
}
