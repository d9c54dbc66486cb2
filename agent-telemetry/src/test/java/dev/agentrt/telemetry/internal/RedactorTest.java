package dev.agentrt.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor =
      Redactor.of(Set.of("sk-secret-1234", "sk-secret"), List.of("ghp_[A-Za-z0-9]{6,}"));

  @Test
  void redact_secretAndPatternInText_masksBoth() {
    assertThat(redactor.redact("key=sk-secret-1234 token=ghp_abcdef123 end"))
        .isEqualTo("key=[REDACTED] token=[REDACTED] end");
  }

  @Test
  void redact_secretContainingAnother_masksTheLongerWhole() {
    assertThat(redactor.redact("sk-secret-1234|sk-secret")).isEqualTo("[REDACTED]|[REDACTED]");
  }

  @Test
  void redact_nothingMatches_returnsSameInstance() {
    String text = "nothing to see";
    assertThat(redactor.redact(text)).isSameAs(text);
  }

  @Test
  void of_secretShorterThanFourChars_isNotRedacted() {
    assertThat(Redactor.of(Set.of("abc"), List.of()).redact("abc abc")).isEqualTo("abc abc");
    assertThat(Redactor.of(Set.of("abc"), List.of()).isActive()).isFalse();
  }

  @Test
  void of_invalidPattern_namesEntryAndPattern() {
    assertThatThrownBy(() -> Redactor.of(Set.of(), List.of("ok", "sk-[")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "telemetry.redact[1]: 'sk-[' is not a regular expression: Unclosed character class"
                + " (write a java.util.regex pattern, e.g. 'sk-[A-Za-z0-9]{20,}')");
  }

  @Test
  void of_patternMatchingEmpty_masksOnlyNonEmptyMatches() {
    assertThat(Redactor.of(Set.of(), List.of("x*")).redact("abxxc")).isEqualTo("ab[REDACTED]c");
  }

  @Test
  void redactAttributes_stringsArraysValuesAndKeys_allMasked() {
    Attributes in =
        Attributes.builder()
            .put("a", "sk-secret-1234")
            .put(AttributeKey.stringArrayKey("list"), List.of("ok", "x sk-secret-1234"))
            .put(AttributeKey.valueKey("v"), Value.of(KeyValue.of("k", Value.of("sk-secret-1234"))))
            .put("count", 3L)
            .put("key-sk-secret-1234", true)
            .build();

    Attributes out = redactor.redact(in);

    assertThat(out.get(AttributeKey.stringKey("a"))).isEqualTo("[REDACTED]");
    assertThat(out.get(AttributeKey.stringArrayKey("list"))).containsExactly("ok", "x [REDACTED]");
    assertThat(out.get(AttributeKey.valueKey("v")).asString())
        .doesNotContain("sk-secret")
        .contains("[REDACTED]");
    assertThat(out.get(AttributeKey.longKey("count"))).isEqualTo(3L);
    assertThat(out.get(AttributeKey.booleanKey("key-[REDACTED]"))).isTrue();
    assertThat(out.toString()).doesNotContain("sk-secret");
  }

  @Test
  void redactAttributes_nothingMatches_returnsSameInstance() {
    Attributes in = Attributes.of(AttributeKey.stringKey("a"), "fine");
    assertThat(redactor.redact(in)).isSameAs(in);
  }
}
