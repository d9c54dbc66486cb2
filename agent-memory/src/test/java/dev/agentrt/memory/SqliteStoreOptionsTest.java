package dev.agentrt.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteStoreOptionsTest {

  @Test
  void defaults_normalSync15sLease5sBusy64KiBArtifacts() {
    SqliteStoreOptions o = SqliteStoreOptions.defaults();
    assertThat(o.synchronous()).isEqualTo(Synchronous.NORMAL);
    assertThat(o.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.artifactThreshold()).isEqualTo(65536);
    assertThat(o.ownerId()).isNull();
  }

  @Test
  void toBuilder_copiesEverySetting() {
    SqliteStoreOptions o =
        SqliteStoreOptions.builder()
            .synchronous(Synchronous.FULL)
            .leaseTtl(Duration.ofSeconds(3))
            .busyTimeout(Duration.ZERO)
            .artifactThreshold(10)
            .ownerId("me")
            .build();
    assertThat(o.toBuilder().build()).usingRecursiveComparison().isEqualTo(o);
  }

  @Test
  void leaseTtl_outOfRange_rejectedEchoingValue() {
    assertThatThrownBy(() -> SqliteStoreOptions.builder().leaseTtl(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTtl must be between 10ms and 1 day, was PT0.005S");
  }

  @Test
  void artifactThreshold_zero_rejected() {
    assertThatThrownBy(() -> SqliteStoreOptions.builder().artifactThreshold(0))
        .hasMessage("artifactThreshold must be >= 1 byte, was 0");
  }

  @Test
  void ownerId_blank_rejected() {
    assertThatThrownBy(() -> SqliteStoreOptions.builder().ownerId(" "))
        .hasMessage("ownerId must be 1 to 200 characters and not blank, was ' '");
  }

  @Test
  void busyTimeout_negative_rejected() {
    assertThatThrownBy(() -> SqliteStoreOptions.builder().busyTimeout(Duration.ofSeconds(-1)))
        .hasMessage("busyTimeout must be between 0 and 1 hour, was PT-1S");
  }
}
