package dev.agentrt.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an MCP server's tool list becomes ToolBus tools, and a call's result becomes a value. */
class McpToolTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "read_file, read_file",
        "getWeather, get_weather",
        "list-issues, list_issues",
        "search.code, search_code",
        "HTTPGet, httpget",
        "v2Search, v2_search",
        "2fa, null",
        "_hidden, null"
      })
  void localName_mcpToolName_isOneLowerCaseSegmentOrNull(String mcp, String local) {
    assertThat(McpTool.localName(mcp)).isEqualTo(local);
  }

  @Test
  void of_readOnlyHint_effectNone_elseNonIdempotent_namesPrefixedWithServer() {
    McpSchema.ToolAnnotations readOnly =
        new McpSchema.ToolAnnotations(null, true, null, null, null, null);
    McpSchema.ToolAnnotations idempotentWrite =
        new McpSchema.ToolAnnotations(null, false, false, true, null, null);
    List<Tool> tools =
        McpTool.of(
            "gh",
            List.of(
                tool("getIssue", readOnly),
                tool("createIssue", null),
                tool("updateIssue", idempotentWrite)),
            null,
            TIMEOUT);

    assertThat(tools)
        .extracting(t -> t.descriptor().name() + ":" + t.descriptor().effect())
        .containsExactly(
            "gh.get_issue:" + Effect.NONE,
            "gh.create_issue:" + Effect.NON_IDEMPOTENT,
            "gh.update_issue:" + Effect.NON_IDEMPOTENT);
    assertThat(tools.get(0).descriptor().permissions()).containsExactly("mcp");
  }

  @Test
  void of_namesThatCollideOrCannotBeWritten_areLeftOut() {
    List<Tool> tools =
        McpTool.of(
            "s",
            List.of(tool("get-x", null), tool("get_x", null), tool("9x", null)),
            null,
            TIMEOUT);

    assertThat(tools).extracting(t -> t.descriptor().name()).containsExactly("s.get_x");
  }

  @Test
  void of_inputSchema_keptWithoutItsDialectSoTheBusValidatesIt() {
    McpSchema.Tool t =
        new McpSchema.Tool(
            "find",
            null,
            "Finds",
            Map.of(
                "$schema",
                "http://json-schema.org/draft-07/schema#",
                "type",
                "object",
                "properties",
                Map.of("q", Map.of("type", "string")),
                "required",
                List.of("q")),
            null,
            null,
            null,
            null);

    ToolDescriptor d = McpTool.of("s", List.of(t), null, TIMEOUT).get(0).descriptor();

    assertThat(d.description()).isEqualTo("Finds");
    assertThat(d.argumentSchema().has("$schema")).isFalse();
    assertThat(d.argumentSchema().at("/required/0").asText()).isEqualTo("q");
  }

  @Test
  void value_structuredContentWins_singleTextIsAString_elseAListOfItems() {
    assertThat(
            McpTool.value(
                McpSchema.CallToolResult.builder()
                    .addTextContent("{\"n\": 1}")
                    .structuredContent(Map.of("n", 1))
                    .build()))
        .isEqualTo(JSON.valueToTree(Map.of("n", 1)));
    assertThat(McpTool.value(McpSchema.CallToolResult.builder().addTextContent("hi").build()))
        .isEqualTo(TextNode.valueOf("hi"));
    assertThat(
            McpTool.value(
                McpSchema.CallToolResult.builder().addTextContent("a").addTextContent("b").build()))
        .isEqualTo(JSON.valueToTree(List.of("a", "b")));
  }

  private static McpSchema.Tool tool(String name, McpSchema.ToolAnnotations annotations) {
    return new McpSchema.Tool(
        name, null, name, Map.of("type", "object"), null, annotations, null, null);
  }
}
