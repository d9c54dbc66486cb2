package dev.agentrt.mcp.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tool of an MCP server, as {@code <server>.<tool>}: its input schema is the argument schema
 * the ToolBus validates against before the server is called; its effect is {@link Effect#NONE} when
 * the server marks it read-only ({@code annotations.readOnlyHint}), else {@link
 * Effect#NON_IDEMPOTENT}; it needs permission {@code mcp}. A call the server answers with {@code
 * isError} is a failure with the server's text.
 */
final class McpTool implements Tool {
  private static final Logger log = LoggerFactory.getLogger(McpTool.class);

  /** The permission every MCP tool needs; granted unless the tool is disabled by policy. */
  static final String PERMISSION = "mcp";

  private static final Pattern SEGMENT = Pattern.compile("[a-z][a-z0-9_]*");
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ToolDescriptor descriptor;
  private final String remoteName;
  private final McpSyncClient client;
  private final String server;
  private final Duration timeout;

  private McpTool(
      ToolDescriptor descriptor,
      String remoteName,
      McpSyncClient client,
      String server,
      Duration timeout) {
    this.descriptor = descriptor;
    this.remoteName = remoteName;
    this.client = client;
    this.server = server;
    this.timeout = timeout;
  }

  /**
   * The tools of server {@code server}, named {@code <server>.<local name>} ({@link #localName}); a
   * tool whose name cannot be made a tool-name segment, or that collides with an earlier one, is
   * left out with a warning naming it.
   */
  static List<Tool> of(
      String server, List<McpSchema.Tool> listed, McpSyncClient client, Duration timeout) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    for (McpSchema.Tool t : listed) {
      String local = localName(t.name());
      if (local == null) {
        log.warn(
            "MCP server '{}': tool '{}' is left out: its name cannot be written as a lower-case"
                + " tool name",
            server,
            t.name());
        continue;
      }
      String name = server + "." + local;
      if (byName.containsKey(name)) {
        log.warn(
            "MCP server '{}': tool '{}' is left out: another of its tools is already named '{}'",
            server,
            t.name(),
            name);
        continue;
      }
      byName.put(name, new McpTool(descriptor(name, t), t.name(), client, server, timeout));
    }
    return List.copyOf(byName.values());
  }

  /**
   * An MCP tool name as one segment of an agentrt tool name: {@code getWeather} → {@code
   * get_weather}, {@code read-file} → {@code read_file}; null if it does not start with a letter.
   */
  static @org.jspecify.annotations.Nullable String localName(String mcpName) {
    String s =
        mcpName
            .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    return SEGMENT.matcher(s).matches() ? s : null;
  }

  private static ToolDescriptor descriptor(String name, McpSchema.Tool t) {
    ObjectNode schema =
        t.inputSchema() == null
            ? McpServerConnection.JSON.createObjectNode().put("type", "object")
            : McpServerConnection.JSON.valueToTree(t.inputSchema());
    // the ToolBus validates with draft 2020-12; a server's own $schema (often draft-07) would
    // make the validator look for that meta-schema
    schema.remove("$schema");
    String description = t.description() != null ? t.description() : t.title();
    McpSchema.ToolAnnotations a = t.annotations();
    boolean readOnly = a != null && Boolean.TRUE.equals(a.readOnlyHint());
    return new ToolDescriptor(
        name,
        description == null ? "" : description,
        schema,
        Set.of(PERMISSION),
        readOnly ? Effect.NONE : Effect.NON_IDEMPOTENT);
  }

  @Override
  public ToolDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext context) {
    Map<String, Object> args = McpServerConnection.JSON.convertValue(call.arguments(), MAP);
    McpSchema.CallToolResult r;
    try {
      r = client.callTool(McpSchema.CallToolRequest.builder(remoteName).arguments(args).build());
    } catch (McpError e) {
      return ToolResult.failure(
          "tool '"
              + descriptor.name()
              + "': the MCP server answered with an error: "
              + e.getMessage());
    } catch (RuntimeException e) {
      // interrupted by the ToolBus (its timeout or a cancellation): the bus reports that
      if (Thread.currentThread().isInterrupted() || !McpServerConnection.isTimeout(e)) throw e;
      return ToolResult.failure(
          ToolFailureKind.TIMEOUT,
          "tool '"
              + descriptor.name()
              + "': MCP server '"
              + server
              + "' did not answer within "
              + McpServerConnection.human(timeout)
              + " (raise mcp_servers."
              + server
              + ".timeout in config.yml)");
    }
    if (Boolean.TRUE.equals(r.isError())) {
      String text = texts(r.content());
      return ToolResult.failure(
          "tool '"
              + descriptor.name()
              + "' failed: "
              + (text.isEmpty() ? "the MCP server reported an error without a message" : text));
    }
    return ToolResult.success(value(r));
  }

  /**
   * The structured content if the server sent one; else the text of a single text item; else the
   * content items as JSON (text items as strings).
   */
  static JsonNode value(McpSchema.CallToolResult r) {
    if (r.structuredContent() != null) {
      return McpServerConnection.JSON.valueToTree(r.structuredContent());
    }
    List<McpSchema.Content> content = r.content() == null ? List.of() : r.content();
    if (content.size() == 1 && content.get(0) instanceof McpSchema.TextContent t) {
      return McpServerConnection.JSON.getNodeFactory().textNode(t.text());
    }
    ArrayNode items = McpServerConnection.JSON.createArrayNode();
    for (McpSchema.Content c : content) {
      if (c instanceof McpSchema.TextContent t) items.add(t.text());
      else items.add(McpServerConnection.JSON.valueToTree(c));
    }
    return items;
  }

  private static String texts(List<McpSchema.Content> content) {
    List<String> out = new ArrayList<>();
    if (content != null) {
      for (McpSchema.Content c : content) {
        if (c instanceof McpSchema.TextContent t && t.text() != null) out.add(t.text());
      }
    }
    return String.join("\n", out);
  }

  @Override
  public String toString() {
    return "MCP tool " + descriptor.name() + " (" + remoteName + ")";
  }
}
