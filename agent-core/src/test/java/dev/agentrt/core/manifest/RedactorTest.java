package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Redactor redactor = Redactor.of(Set.of("sk-secret-1234", "sk-secret"));

  @Test
  void redact_secretContainingAnother_masksTheLongerWhole() {
    assertThat(redactor.redact("a sk-secret-1234 b sk-secret c")).isEqualTo("a **** b **** c");
  }

  @Test
  void redact_nothingMatches_returnsSameInstance() {
    String text = "nothing to see";
    assertThat(redactor.redact(text)).isSameAs(text);
    JsonNode json = json("{\"a\": [\"x\", {\"b\": 1}]}");
    assertThat(redactor.redact(json)).isSameAs(json);
  }

  @Test
  void of_secretShorterThanFourChars_isIgnored() {
    assertThat(Redactor.of(Set.of("abc")).redact("abc abc")).isEqualTo("abc abc");
    assertThat(Redactor.of(Set.of("abc")).isEmpty()).isTrue();
    assertThat(Redactor.none().isEmpty()).isTrue();
    assertThat(redactor.isEmpty()).isFalse();
  }

  @Test
  void redactJson_secretInValuesAndFieldNames_maskedEverywhereAndOriginalUntouched() {
    JsonNode in =
        json("{\"k\": \"x sk-secret y\", \"sk-secret\": [1, \"sk-secret-1234\", {\"n\": true}]}");
    String before = in.toString();

    JsonNode out = redactor.redact(in);

    assertThat(out)
        .isEqualTo(json("{\"k\": \"x **** y\", \"****\": [1, \"****\", {\"n\": true}]}"));
    assertThat(in.toString()).isEqualTo(before);
  }

  @Test
  void redactJson_deeplyNested_doesNotOverflowTheStack() {
    ArrayNode root = JsonNodeFactory.instance.arrayNode();
    ArrayNode a = root;
    for (int i = 0; i < 200_000; i++) {
      ArrayNode next = JsonNodeFactory.instance.arrayNode();
      a.add(next);
      a = next;
    }
    a.add("sk-secret");

    JsonNode out = redactor.redact(root);

    JsonNode n = out;
    while (n.isArray() && n.size() == 1 && n.get(0).isArray()) n = n.get(0);
    assertThat(n.get(0).asText()).isEqualTo("****");
  }

  @Test
  void andWithMaskAndPatterns_layerOnTheSecrets() {
    Redactor r =
        Redactor.none()
            .and(List.of("hook-value-123"))
            .and(redactor)
            .withMask("[X]")
            .withPatterns(List.of("ghp_[A-Za-z0-9]{6,}", "x*"));

    assertThat(r.redact("hook-value-123 sk-secret ghp_abcdef12 axxb"))
        .isEqualTo("[X] [X] [X] a[X]b");
    assertThat(r.redact("ab")).isEqualTo("ab");
  }

  @Test
  void toStringAndHashCode_revealNoSecret() {
    assertThat(redactor.toString()).isEqualTo("Redactor[active]").doesNotContain("sk-");
    assertThat(redactor.hashCode())
        .isEqualTo(Redactor.of(Set.of("aaaaaaaaaaaaaa", "bbbbbbbbb")).hashCode());
    assertThat(redactor)
        .isEqualTo(Redactor.of(List.of("sk-secret", "sk-secret-1234", "sk-secret")))
        .isNotEqualTo(Redactor.of(Set.of("sk-secret")));
  }

  private static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
