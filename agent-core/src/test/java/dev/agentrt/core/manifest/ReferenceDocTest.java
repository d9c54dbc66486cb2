package dev.agentrt.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/reference.md cannot drift from the manifest records: every key the binder accepts (a record
 * component, in snake_case as {@code Json}'s naming strategy maps it, found by walking the root
 * records) has a row, and every row names such a key.
 */
class ReferenceDocTest {
  static final Path DOC = Path.of("../docs/reference.md");

  /** The placeholder of a map key: {@code <name>}, {@code <tool>}, ... all normalise to this. */
  static final String ANY_KEY = "<*>";

  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]*>");

  /**
   * Rows allowed below a free-form value (a {@code JsonNode} or a map of them) although no record
   * declares them, each with the reason. None today: free-form values have one row each.
   */
  static final Map<String, String> FREE_FORM_ROWS = Map.of();

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("config.yml", RuntimeConfig.class),
        Arguments.of("agents/*.yml", AgentSpec.class),
        Arguments.of("workflows/*.yml", WorkflowSpec.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyKey_hasARow_andEveryRow_namesAKey(String file, Class<?> root) throws IOException {
    Keys keys = Keys.of(root);
    List<String> rows = rows(file);

    Set<String> missing = new TreeSet<>(keys.leaves);
    missing.removeAll(rows);
    Set<String> stale = new TreeSet<>(rows);
    stale.removeAll(keys.all);
    stale.removeAll(FREE_FORM_ROWS.keySet());
    Set<String> twice = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    for (String r : rows) if (!seen.add(r)) twice.add(r);

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(missing)
        .as("keys of %s (%s) without a row in %s", file, root.getSimpleName(), DOC)
        .isEmpty();
    soft.assertThat(stale)
        .as("rows of %s in %s naming no key of %s", file, DOC, root.getSimpleName())
        .isEmpty();
    soft.assertThat(twice).as("rows of %s in %s written twice", file, DOC).isEmpty();
    soft.assertAll();
  }

  @Test
  void keys_areTheBindersSnakeCasePaths_throughMapsListsAndNestedRecords() {
    assertThat(Keys.of(RuntimeConfig.class).leaves)
        .contains(
            "models.<*>.pricing.input_per_mtok",
            "models.<*>.max_retries",
            "context_profiles.<*>.memory.k",
            "memory.global.retention.max_age",
            "policy.tools.<*>",
            "budget.max_cost_usd")
        .doesNotContain("models", "checkpoint", "context_profiles.<*>.memory");
    assertThat(Keys.of(WorkflowSpec.class).leaves)
        .contains(
            "nodes[].retry.max_attempts",
            "edges[].loop.exhausted",
            "nodes[].input.<*>",
            "nodes[].router.min_confidence",
            "input.schema");
    assertThat(Keys.of(AgentSpec.class).leaves)
        .contains("max_tool_rounds", "memory.read", "output.schema", "tags");
  }

  /** The normalised first cells of the table rows of the section {@code ## `file`}. */
  static List<String> rows(String file) throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
      if (line.startsWith("## ")) {
        in = line.equals("## `" + file + "`");
        continue;
      }
      Matcher m = ROW.matcher(line);
      if (in && m.find()) out.add(PLACEHOLDER.matcher(m.group(1)).replaceAll(ANY_KEY));
    }
    assertThat(out).as("the table of section ## `%s` in %s", file, DOC).isNotEmpty();
    return out;
  }

  /** The dotted paths of a root record: its leaves, and every path (leaves and records). */
  record Keys(Set<String> leaves, Set<String> all) {
    static Keys of(Class<?> root) {
      Keys k = new Keys(new TreeSet<>(), new TreeSet<>());
      k.record(root, "");
      return k;
    }

    private void record(Class<?> type, String prefix) {
      for (RecordComponent c : type.getRecordComponents()) {
        String key = SNAKE.translate(c.getName());
        value(c.getGenericType(), prefix.isEmpty() ? key : prefix + "." + key);
      }
    }

    private void value(Type type, String path) {
      Class<?> raw = raw(type);
      if (raw.isRecord()) {
        all.add(path);
        record(raw, path);
      } else if (Map.class.isAssignableFrom(raw)) {
        all.add(path);
        value(argument(type, 1), path + "." + ANY_KEY);
      } else if (List.class.isAssignableFrom(raw) && raw(argument(type, 0)).isRecord()) {
        all.add(path);
        value(argument(type, 0), path + "[]");
      } else {
        // a scalar, an enum, a Duration, a Secret, a list of scalars or a free-form JsonNode
        leaves.add(path);
        all.add(path);
      }
    }

    private static Class<?> raw(Type type) {
      if (type instanceof Class<?> c) return c;
      if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
      throw new AssertionError("unexpected type in a manifest record: " + type);
    }

    private static Type argument(Type type, int index) {
      if (type instanceof ParameterizedType p) return p.getActualTypeArguments()[index];
      throw new AssertionError("raw collection type in a manifest record: " + type);
    }
  }
}
