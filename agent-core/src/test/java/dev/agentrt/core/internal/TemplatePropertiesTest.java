package dev.agentrt.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property tests of {@link Template}: generated templates and state, shrunk on failure. */
class TemplatePropertiesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  // Catches a literal string being altered (trimmed, re-escaped, treated as a reference).
  @Property(tries = 300, seed = "20261205")
  void literalTextWithoutBracesIsTheIdentity(@ForAll("literals") String text) {
    Template t = Template.compile(F.textNode(text));
    assertThat(t.evaluate(root -> F.missingNode())).isEqualTo(F.textNode(text));
    List<StatePath> paths = new java.util.ArrayList<>();
    t.paths(paths::add);
    assertThat(paths).isEmpty();
  }

  // Catches a whole-string reference being stringified or reading the wrong key/index.
  @Property(tries = 300, seed = "20261205")
  void wholeStringReferenceYieldsTheValueAtThePath(
      @ForAll("stateAndPath") Map.Entry<JsonNode, String> c) {
    JsonNode state = c.getKey();
    String path = c.getValue();
    JsonNode expected = state.at("/" + path.replace('.', '/'));
    Template t = Template.compile(F.textNode("{{ " + path + " }}"));
    assertThat(t.evaluate(state::path)).isEqualTo(expected);
  }

  // Catches interpolation dropping or reordering the literal parts around a reference.
  @Property(tries = 300, seed = "20261205")
  void interpolationKeepsSurroundingText(
      @ForAll("literals") String before,
      @ForAll("literals") String after,
      @ForAll("scalars") String v) {
    String text = "<" + before + "{{a.b}}" + after + ">";
    ObjectNode state = F.objectNode();
    state.putObject("a").put("b", v);
    assertThat(Template.compile(F.textNode(text)).evaluate(state::path).asText())
        .isEqualTo("<" + before + v + after + ">");
  }

  // Catches a malformed path escaping as another exception type (NPE, index errors) or passing.
  @Property(tries = 300, seed = "20261205")
  void malformedPathIsAnIllegalArgument(@ForAll("malformedPaths") String path) {
    assertThatThrownBy(() -> Template.compile(F.textNode("x {{" + path + "}} y")))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path");
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.strings().all().ofMaxLength(30).filter(s -> !s.contains("{{"));
  }

  @Provide
  Arbitrary<String> scalars() {
    return Arbitraries.strings().alpha().numeric().withChars(" -_").ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> malformedPaths() {
    Arbitrary<String> seg = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(5);
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.just(" "),
        seg.map(s -> s + "."),
        seg.map(s -> "." + s),
        Combinators.combine(seg, seg).as((a, b) -> a + ".." + b));
  }

  /** A generated nested object state and a dot-path that exists in it. */
  @Provide
  Arbitrary<Map.Entry<JsonNode, String>> stateAndPath() {
    Arbitrary<String> key = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6);
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.integers().map(F::numberNode),
            Arbitraries.strings().alpha().ofMaxLength(8).map(F::textNode),
            Arbitraries.of(true, false).map(F::booleanNode),
            Arbitraries.just(F.nullNode()));
    return Combinators.combine(key.list().ofMinSize(1).ofMaxSize(4).uniqueElements(), leaf)
        .as(
            (keys, value) -> {
              ObjectNode root = F.objectNode();
              ObjectNode cur = root;
              for (int i = 0; i < keys.size() - 1; i++) {
                cur.put("sibling" + i, i);
                cur = cur.putObject(keys.get(i));
              }
              cur.set(keys.get(keys.size() - 1), value);
              return Map.entry((JsonNode) root, String.join(".", keys));
            });
  }
}
