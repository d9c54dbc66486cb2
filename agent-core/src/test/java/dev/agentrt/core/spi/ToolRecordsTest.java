package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tool records of the SPI: what they accept, refuse, and copy. */
class ToolRecordsTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  record Read(String path, int maxBytes) {}

  @Test
  void toolCall_bindsSnakeCaseArguments_andRefusesUnknownOrMissingOnes() {
    ObjectNode args = NODES.objectNode().put("path", "a.txt").put("max_bytes", 10);
    ToolCall call = new ToolCall("s#0:0", "fs.read", args, "k");

    assertThat(call.argumentsAs(Read.class)).isEqualTo(new Read("a.txt", 10));
    assertThat(call.argument("path").asText()).isEqualTo("a.txt");
    assertThat(call.argument("absent").isMissingNode()).isTrue();

    ObjectNode extra = args.deepCopy().put("mode", "x");
    assertThatThrownBy(() -> new ToolCall("i", "fs.read", extra, "k").argumentsAs(Read.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tool 'fs.read': arguments do not bind to Read: unknown argument 'mode'"
                + " (arguments: max_bytes, path)");
    ObjectNode missing = NODES.objectNode().put("path", "a.txt");
    assertThatThrownBy(() -> new ToolCall("i", "fs.read", missing, "k").argumentsAs(Read.class))
        .hasMessage(
            "tool 'fs.read': arguments do not bind to Read: argument 'max_bytes' is missing or null");
    ObjectNode wrongType = args.deepCopy().put("max_bytes", "ten");
    assertThatThrownBy(() -> new ToolCall("i", "fs.read", wrongType, "k").argumentsAs(Read.class))
        .hasMessageStartingWith(
            "tool 'fs.read': arguments do not bind to Read: argument 'max_bytes': ")
        .hasMessageNotContaining("DeserializationConfig");
  }

  @Test
  void toolCall_refusesNonObjectArguments_andIsolatesItsCopy() {
    assertThatThrownBy(() -> new ToolCall("i", "t", NODES.arrayNode(), "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool 't': arguments must be a JSON object, got ARRAY");

    ObjectNode args = NODES.objectNode().put("a", 1);
    ToolCall call = new ToolCall("i", "t", args, "k");
    args.put("a", 2);
    ((ObjectNode) call.arguments()).put("a", 3);
    assertThat(call.argument("a").asInt()).isEqualTo(1);
  }

  @Test
  void toolDescriptor_namesAreLowerCaseDottedWords() {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    for (String ok : List.of("fs.read", "my_tool", "a.b2.c_d")) {
      assertThat(new ToolDescriptor(ok, "d", schema, Set.of(), Effect.NONE).name()).isEqualTo(ok);
    }
    for (String bad : List.of("Fs.read", "fs..read", "1tool", "fs.", "fs-read", "")) {
      assertThatThrownBy(() -> new ToolDescriptor(bad, "d", schema, Set.of(), Effect.NONE))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not lower-case dot-separated words");
    }
  }

  @Test
  void toolDescriptor_refusesANonObjectSchema_andCopiesIt() {
    assertThatThrownBy(
            () -> new ToolDescriptor("t", "d", NODES.textNode("x"), Set.of(), Effect.NONE))
        .hasMessage("tool 't': argumentSchema must be a JSON object, got STRING");
    ObjectNode schema = NODES.objectNode().put("type", "object");
    ToolDescriptor d = new ToolDescriptor("t", "d", schema, Set.of("fs"), Effect.IDEMPOTENT);
    schema.put("type", "string");
    ((ObjectNode) d.argumentSchema()).put("type", "array");
    assertThat(d.argumentSchema().get("type").asText()).isEqualTo("object");
    assertThat(d.permissions()).containsExactly("fs");
  }

  @Test
  void toolDescriptor_withoutTags_hasNone_andWithTagsKeepsTheirOrder() {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    ToolDescriptor d = new ToolDescriptor("t", "d", schema, Set.of(), Effect.NONE);

    assertThat(d.tags()).isEmpty();
    assertThat(d.withTags("files", "data-transform", "v2_x").tags())
        .containsExactly("files", "data-transform", "v2_x");
    assertThat(d.withTags("files")).isEqualTo(d.withTags("files"));
  }

  @Test
  void toolDescriptor_refusesTagsThatAreNotLowerCaseIdentifiers_orListedTwice() {
    ObjectNode schema = NODES.objectNode().put("type", "object");
    ToolDescriptor d = new ToolDescriptor("t", "d", schema, Set.of(), Effect.NONE);
    for (String bad : List.of("Files", "1files", "", "fs.read", "-x", "a b")) {
      assertThatThrownBy(() -> d.withTags(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "tool 't': tag '"
                  + bad
                  + "' is not a lower-case identifier (a letter, then lower-case letters, digits,"
                  + " '_' or '-')");
    }
    assertThatThrownBy(() -> d.withTags("files", "files"))
        .hasMessage("tool 't': a tag is listed twice in [files, files] (list each tag once)");
  }

  @Test
  void busCall_checksItsArguments_andKnowsItsId() {
    JsonNode args = NODES.objectNode();
    ToolBus.Call call = new ToolBus.Call("t", args, null, null, "run", "s#0", 2, null, () -> false);
    assertThat(call.callId()).isEqualTo("s#0:2");
    assertThat(call.agent()).isNull();

    ToolBus.Call byAgent = call.byAgent("coder", List.of("t", "u"));
    assertThat(byAgent.agent()).isEqualTo("coder");
    assertThat(byAgent.allowed()).containsExactlyInAnyOrder("t", "u");
    assertThat(byAgent.callId()).isEqualTo("s#0:2");

    assertThatThrownBy(
            () -> new ToolBus.Call("t", args, null, null, "run", "s#0", -1, null, () -> false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index must be >= 0, got -1");
  }
}
