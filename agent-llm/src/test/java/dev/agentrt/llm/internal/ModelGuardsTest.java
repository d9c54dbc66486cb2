package dev.agentrt.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.manifest.ModelSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelGuardsTest {

  static ModelSpec model(String... fallback) {
    return new ModelSpec(
        "scripted",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(fallback),
        null,
        null,
        null);
  }

  @Test
  void chain_fallbacksOfFallbacks_depthFirstEachOnce() {
    Map<String, ModelSpec> models =
        Map.of(
            "a", model("b", "c"),
            "b", model("d", "c"),
            "c", model(),
            "d", model("a"));

    assertThat(ModelGuards.chain("a", models::get)).containsExactly("a", "b", "d", "c");
  }

  @Test
  void chain_unknownNames_areLeftOut() {
    Map<String, ModelSpec> models = Map.of("a", model("nope", "b"), "b", model());

    assertThat(ModelGuards.chain("a", models::get)).containsExactly("a", "b");
    assertThat(ModelGuards.chain("nope", models::get)).isEmpty();
  }

  @Test
  void breaker_sameSettings_sameBreaker_changedSettings_newOne() {
    ModelGuards guards = new ModelGuards(Clock.systemUTC());
    ModelSpec.CircuitBreakerSpec cb = new ModelSpec.CircuitBreakerSpec(50, 2, null);
    ModelSpec a =
        new ModelSpec(
            "scripted", null, null, null, null, null, null, null, null, null, null, cb, null, null);
    ModelSpec b =
        new ModelSpec(
            "scripted",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new ModelSpec.CircuitBreakerSpec(50, 3, null),
            null,
            null);

    assertThat(guards.breaker("m", a)).isSameAs(guards.breaker("m", a));
    assertThat(guards.breaker("m", b)).isNotSameAs(guards.breaker("m", a));
    assertThat(guards.breaker("m", model())).isNull();
    assertThat(guards.limiter("m", model())).isNull();
  }

  static ModelSpec concurrent(int max) {
    return new ModelSpec(
        "scripted", null, null, null, null, null, null, null, null, null, null, null, null, max);
  }

  @Test
  void slots_perModelKey_sharedUntilTheLimitChanges() {
    ModelGuards guards = new ModelGuards(Clock.systemUTC());

    assertThat(guards.slots("m", concurrent(2))).isSameAs(guards.slots("m", concurrent(2)));
    assertThat(guards.slots("m", concurrent(2)).availablePermits()).isEqualTo(2);
    assertThat(guards.slots("n", concurrent(2))).isNotSameAs(guards.slots("m", concurrent(2)));
    assertThat(guards.slots("m", concurrent(3)).availablePermits()).isEqualTo(3);
    assertThat(guards.slots("m", concurrent(3)).isFair()).isTrue();
    assertThat(guards.slots("m", model())).isNull();
  }
}
