package dev.agentrt.memory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.core.BudgetUsage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The usage column's encoding: small for a step's usage, exact for every value. */
class UsageBytesTest {
  private static BudgetUsage back(BudgetUsage u) {
    return UsageBytes.decode(UsageBytes.encode(u));
  }

  @Test
  void allZero_isNoBytes_andReadsBackAsZero() {
    assertThat(UsageBytes.encode(BudgetUsage.ZERO)).isNull();
    assertThat(UsageBytes.decode(null)).isEqualTo(BudgetUsage.ZERO);
  }

  @Test
  void aStepsUsage_oneHopAndWholeMilliseconds_isThreeBytes() {
    BudgetUsage u = new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ofMillis(19));

    assertThat(UsageBytes.encode(u)).containsExactly(0b1000_0001, 2, 38);
    assertThat(back(u)).isEqualTo(u);
  }

  @Test
  void everyField_readsBackExactly() {
    for (BudgetUsage u :
        new BudgetUsage[] {
          new BudgetUsage(3, 1200, 340, 0.0123, 2, 4, Duration.ofNanos(1_500_000_001)),
          new BudgetUsage(1, 0, 0, Double.NaN, 0, 0, Duration.ZERO),
          new BudgetUsage(0, 0, 0, -0.0, 0, 0, Duration.ZERO),
          new BudgetUsage(0, 0, 0, Double.POSITIVE_INFINITY, 0, 0, Duration.ofDays(400)),
          new BudgetUsage(-1, Long.MAX_VALUE, Long.MIN_VALUE, 1e300, 0, 1, Duration.ofNanos(1)),
        }) {
      BudgetUsage b = back(u);
      assertThat(b).isEqualTo(u);
      assertThat(Double.doubleToRawLongBits(b.costUsd()))
          .isEqualTo(Double.doubleToRawLongBits(u.costUsd()));
    }
  }

  @Test
  void bytesOfNoEncoding_areRefusedSayingWhy() {
    assertThatThrownBy(() -> UsageBytes.decode(new byte[0])).hasMessage("empty");
    assertThatThrownBy(() -> UsageBytes.decode(new byte[] {(byte) 0b1100_0000, 2, 2}))
        .hasMessage("two elapsed times");
    assertThatThrownBy(() -> UsageBytes.decode(new byte[] {1, (byte) 0x80}))
        .hasMessage("truncated value of field 0");
    assertThatThrownBy(() -> UsageBytes.decode(new byte[] {0b1000, 1, 2}))
        .hasMessage("truncated cost");
    assertThatThrownBy(() -> UsageBytes.decode(new byte[] {1, 2, 9}))
        .hasMessage("1 trailing bytes");
  }
}
