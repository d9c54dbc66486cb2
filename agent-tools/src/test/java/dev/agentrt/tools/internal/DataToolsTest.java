package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.failure;
import static dev.agentrt.tools.TestSupport.json;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.tools.BuiltinTools;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class DataToolsTest {
  static final ToolBus bus =
      ToolBus.builder()
          .discovery(false)
          .tools(
              List.of(BuiltinTools.jsonQuery(), BuiltinTools.yamlParse(), BuiltinTools.yamlDump()))
          .build();

  @AfterAll
  static void close() {
    bus.close();
  }

  @Test
  void jsonQuery_pointer_returnsValue() {
    assertThat(
            value(
                bus.call(
                    ToolInvocation.of(
                        "json.query",
                        args("json", json("{'a': [{'b': 1}]}"), "pointer", "/a/0/b")))))
        .isEqualTo(json("{'value': 1}"));
  }

  @Test
  void jsonQuery_jsonPath_returnsValues() {
    assertThat(
            value(
                bus.call(
                    ToolInvocation.of(
                        "json.query",
                        args(
                            "json",
                            json("{'items': [{'n': 'x', 'p': 3}, {'n': 'y', 'p': 9}]}"),
                            "path",
                            "$.items[?(@.p > 5)].n")))))
        .isEqualTo(json("{'values': ['y']}"));
  }

  @Test
  void jsonQuery_pointerSelectingNothing_fails() {
    assertThat(
            failure(
                bus.call(
                    ToolInvocation.of("json.query", args("json", json("{}"), "pointer", "/nope")))))
        .isEqualTo("pointer '/nope' selects nothing in the document");
  }

  @Test
  void jsonQuery_bothPointerAndPath_fails() {
    assertThat(
            failure(
                bus.call(
                    ToolInvocation.of(
                        "json.query", args("json", json("{}"), "pointer", "/a", "path", "$.a")))))
        .isEqualTo("give exactly one of pointer (JSON Pointer, /a/0) and path (JSONPath, $.a[0])");
  }

  @Test
  void yaml_parseThenDump_roundTrips() {
    var parsed =
        value(bus.call(ToolInvocation.of("yaml.parse", args("text", "a: 1\nb: [x, y]\n"))));
    var dumped =
        value(bus.call(ToolInvocation.of("yaml.dump", args("value", parsed.get("value")))));

    assertThat(parsed).isEqualTo(json("{'value': {'a': 1, 'b': ['x', 'y']}}"));
    assertThat(dumped.get("text").asText())
        .isEqualTo("a: 1\nb:\n- x\n- \"y\"\n"); // y alone reads back as a YAML 1.1 boolean
  }

  @Test
  void yamlParse_aliasBomb_isNotExpanded() {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      char p = (char) ('a' + i - 1);
      char c = (char) ('a' + i);
      y.append(c)
          .append(": &")
          .append(c)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*" + p)))
          .append("]\n");
    }

    var v =
        value(bus.call(ToolInvocation.of("yaml.parse", args("text", y.toString())))).get("value");

    assertThat(v.get("i")).isEqualTo(json("['h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h', 'h']"));
  }
}
