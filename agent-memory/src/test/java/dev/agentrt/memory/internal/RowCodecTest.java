package dev.agentrt.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
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
}
