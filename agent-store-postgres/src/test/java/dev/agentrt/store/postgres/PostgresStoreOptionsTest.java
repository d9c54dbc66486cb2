package dev.agentrt.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresStoreOptionsTest {

  @Test
  void builder_defaults_areDocumented() {
    PostgresStoreOptions o = PostgresStoreOptions.builder("jdbc:postgresql://db/agentrt").build();

    assertThat(o.poolSize()).isEqualTo(10);
    assertThat(o.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.ownerId()).isNull();
    assertThat(o.dataSource()).isNull();
  }

  @Test
  void toString_neverShowsThePassword() {
    PostgresStoreOptions o =
        PostgresStoreOptions.builder("jdbc:postgresql://db/agentrt?password=inurl")
            .user("agentrt")
            .password("s3cret")
            .ownerId("w1")
            .build();

    assertThat(o.toString())
        .isEqualTo(
            "PostgresStoreOptions{url=jdbc:postgresql://db/agentrt, user=agentrt, password=****,"
                + " poolSize=10, leaseTtl=PT15S, ownerId=w1}");
    assertThat(o.toBuilder().build().password()).isEqualTo("s3cret");
  }

  @Test
  void builder_notAPostgresUrl_failsEchoingItWithoutItsQuery() {
    assertThatThrownBy(() -> PostgresStoreOptions.builder("jdbc:sqlite:runs.db?password=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "url must be a PostgreSQL JDBC URL starting with 'jdbc:postgresql:', such as"
                + " jdbc:postgresql://localhost:5432/agentrt; was 'jdbc:sqlite:runs.db'");
  }

  @Test
  void builder_outOfRangeValues_failEchoingThem() {
    PostgresStoreOptions.Builder b = PostgresStoreOptions.builder("jdbc:postgresql://db/x");
    assertThatThrownBy(() -> b.leaseTtl(Duration.ofMillis(5)))
        .hasMessage("leaseTtl must be between 10ms and 1 day, was PT0.005S");
    assertThatThrownBy(() -> b.poolSize(0))
        .hasMessage("poolSize must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> b.ownerId(" "))
        .hasMessage("ownerId must be 1 to 200 characters and not blank, was ' '");
  }

  @Test
  void builder_dataSource_refusesSettingsOfTheOwnPool() {
    DataSource ds = new PGSimpleDataSource();
    PostgresStoreOptions.Builder b = PostgresStoreOptions.builder(ds);

    assertThatThrownBy(() -> b.user("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "user applies to the store's own pool (PostgresStoreOptions.builder(url)); with a"
                + " DataSource, set it on the DataSource");
    assertThat(b.build().dataSource()).isSameAs(ds);
    assertThat(b.build().url()).isNull();
  }
}
