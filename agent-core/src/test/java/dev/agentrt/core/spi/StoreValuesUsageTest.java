package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.BudgetUsage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A usage is written with its non-zero fields only (as the PostgreSQL store keeps it), and reads
 * back equal.
 */
class StoreValuesUsageTest {
  private static final String DB = "runs.db";

  private static BudgetUsage back(String text) {
    return StoreValues.usage(DB, () -> "run 'r'", text);
  }

  @Test
  void usage_oneHopAndTime_isTwoFields_andReadsBackEqual() {
    BudgetUsage u = new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ofNanos(1234));

    assertThat(StoreValues.usage(u)).isEqualTo("{\"hops\":1,\"elapsed_ns\":1234}");
    assertThat(back(StoreValues.usage(u))).isEqualTo(u);
  }

  @Test
  void usage_everyField_isWrittenAndReadsBackEqual() {
    BudgetUsage u = new BudgetUsage(2, 300, 40, 0.25, 1, 3, Duration.ofMillis(9));

    assertThat(StoreValues.usage(u))
        .isEqualTo(
            "{\"hops\":2,\"input_tokens\":300,\"output_tokens\":40,\"cost_usd\":0.25,"
                + "\"llm_calls\":1,\"tool_calls\":3,\"elapsed_ns\":9000000}");
    assertThat(back(StoreValues.usage(u))).isEqualTo(u);
    assertThat(StoreValues.usage(BudgetUsage.ZERO)).isEqualTo("{}");
    assertThat(back("{}")).isEqualTo(BudgetUsage.ZERO);
  }

  @Test
  void usage_writtenByVersion1WithEveryField_readsBack() {
    assertThat(
            back(
                "{\"hops\":1,\"input_tokens\":0,\"output_tokens\":0,\"cost_usd\":0.0,"
                    + "\"llm_calls\":0,\"tool_calls\":0,\"elapsed_ns\":5}"))
        .isEqualTo(new BudgetUsage(1, 0, 0, 0, 0, 0, Duration.ofNanos(5)));
  }
}
