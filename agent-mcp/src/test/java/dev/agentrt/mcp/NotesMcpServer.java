package dev.agentrt.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A small MCP server over stdio, written with the official SDK, that tests run as a child JVM:
 * {@code readNote} (read-only) reads the notes file, {@code addNote} (no annotations, so effectful)
 * appends a line to it, {@code failNote} answers every call with {@code isError}. The notes file is
 * the environment variable {@code NOTES_FILE}; the first argument is a file the server writes its
 * process id to.
 */
// Tool.builder(name) is deprecated in 2.2.0 for builder(name, inputSchema); the schema reads
// better as its own step here
@SuppressWarnings("deprecation")
public final class NotesMcpServer {
  private NotesMcpServer() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(Path.of(args[0]), Long.toString(ProcessHandle.current().pid()));
    // never outlive the test JVM, whatever happens to it
    ProcessHandle.current()
        .parent()
        .ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
    Path notes = Path.of(System.getenv("NOTES_FILE"));
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpServer.sync(new StdioServerTransportProvider(json))
        .serverInfo("notes", "1.0")
        // the SDK's default validator needs json-schema-validator 2.x, not on this class path
        .jsonSchemaValidator((schema, content) -> ValidationResponse.asValid(null))
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(readNote(json, notes), addNote(json, notes), failNote(json))
        .build();
    new CountDownLatch(1).await(); // served until the client ends the process
  }

  private static SyncToolSpecification readNote(JacksonMcpJsonMapper json, Path notes) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder("readNote")
            .description("Reads the line number `line` (from 1) of the notes")
            .inputSchema(
                json,
                "{\"type\":\"object\",\"properties\":{\"line\":{\"type\":\"integer\",\"minimum\":1}},"
                    + "\"required\":[\"line\"],\"additionalProperties\":false}")
            .annotations(
                new McpSchema.ToolAnnotations("Read a note", true, false, true, false, null))
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (exchange, req) -> {
              int line = ((Number) req.arguments().get("line")).intValue();
              List<String> lines = read(notes);
              if (line > lines.size()) return error("no line " + line + " in the notes");
              return McpSchema.CallToolResult.builder().addTextContent(lines.get(line - 1)).build();
            })
        .build();
  }

  private static SyncToolSpecification addNote(JacksonMcpJsonMapper json, Path notes) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder("addNote")
            .description("Appends `text` as a line to the notes")
            .inputSchema(
                json,
                "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"minLength\":1}},"
                    + "\"required\":[\"text\"]}")
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (exchange, req) -> {
              String text = (String) req.arguments().get("text");
              try {
                Files.writeString(
                    notes,
                    text + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
              } catch (java.io.IOException e) {
                return error(e.toString());
              }
              return McpSchema.CallToolResult.builder()
                  .addTextContent("added")
                  .structuredContent(Map.of("lines", read(notes).size()))
                  .build();
            })
        .build();
  }

  private static SyncToolSpecification failNote(JacksonMcpJsonMapper json) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder("failNote")
            .description("Always fails")
            .inputSchema(json, "{\"type\":\"object\"}")
            .annotations(new McpSchema.ToolAnnotations(null, true, null, null, null, null))
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, req) -> error("the notes are locked"))
        .build();
  }

  private static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private static List<String> read(Path notes) {
    try {
      return Files.exists(notes) ? Files.readAllLines(notes) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
