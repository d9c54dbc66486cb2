package dev.agentrt.mcp.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.McpServerSpec;
import dev.agentrt.core.manifest.Secret;
import dev.agentrt.core.spi.Tool;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connected MCP server: its client and the tools it listed. Closing it ends its process. */
public final class McpServerConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(McpServerConnection.class);

  /** Converts between the SDK's maps and Jackson trees; the SDK's own Jackson 2 binding. */
  static final ObjectMapper JSON = new ObjectMapper();

  private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JSON);

  /**
   * The SDK client's check of a tool result against the tool's output schema: everything passes.
   * The ToolBus validates a call's arguments; a result is data the caller reads as it comes, and
   * the SDK's own validator needs a json-schema-validator that does not converge with agentrt's.
   */
  static final JsonSchemaValidator ACCEPT_ALL =
      (schema, content) -> JsonSchemaValidator.ValidationResponse.asValid(null);

  private final String name;
  private final McpSyncClient client;
  private final List<Tool> tools;

  private McpServerConnection(String name, McpSyncClient client, List<Tool> tools) {
    this.name = name;
    this.client = client;
    this.tools = tools;
  }

  /**
   * Connects to the server {@code name}, initializes the session and lists its tools.
   *
   * @throws AgentrtException naming the server and its command or URL if it does not start, answer
   *     or list its tools in time; nothing is left running then
   */
  public static McpServerConnection open(String name, McpServerSpec spec) {
    List<String> command = spec.command();
    String missing = command == null ? null : missingProgram(command.get(0), spec);
    if (missing != null) throw failure(name, spec, missing, null);
    McpSyncClient client =
        McpClient.sync(transport(name, spec))
            .requestTimeout(spec.timeoutOrDefault())
            .initializationTimeout(spec.timeoutOrDefault())
            .clientInfo(McpSchema.Implementation.builder("agentrt", version()).build())
            .jsonSchemaValidator(ACCEPT_ALL)
            .build();
    try {
      client.initialize();
      List<McpSchema.Tool> listed = new ArrayList<>();
      String cursor = null;
      do {
        McpSchema.ListToolsResult page = client.listTools(cursor);
        if (page.tools() != null) listed.addAll(page.tools());
        cursor = page.nextCursor();
      } while (cursor != null && !cursor.isEmpty());
      List<Tool> tools = McpTool.of(name, listed, client, spec.timeoutOrDefault());
      log.debug("MCP server '{}' offers {} tools", name, tools.size());
      return new McpServerConnection(name, client, tools);
    } catch (RuntimeException e) {
      new McpServerConnection(name, client, List.of()).close();
      throw failure(name, spec, reason(e, spec), e);
    }
  }

  private static AgentrtException failure(
      String name, McpServerSpec spec, String reason, @Nullable Throwable cause) {
    String message =
        "config.yml: mcp_servers."
            + name
            + ": the MCP server "
            + where(spec)
            + " did not start or list its tools: "
            + reason
            + (spec.command() != null
                ? " (check that the command runs and speaks MCP on stdin/stdout, or raise"
                    + " mcp_servers."
                    + name
                    + ".timeout)"
                : " (check that the server is up at that URL and its headers:, or raise"
                    + " mcp_servers."
                    + name
                    + ".timeout)");
    return cause == null ? new AgentrtException(message) : new AgentrtException(message, cause);
  }

  /**
   * Why {@code program} cannot be started, or null if it looks startable: a path must be an
   * executable file, a bare name must be one in a directory of {@code PATH} (the server's own
   * {@code PATH} from {@code env:} if given). Checked before starting, because the SDK reports a
   * program that does not start only as a timeout. Not checked on Windows (extensions).
   */
  static @Nullable String missingProgram(String program, McpServerSpec spec) {
    if (File.separatorChar == '\\') return null;
    if (program.indexOf('/') >= 0) {
      return Files.isRegularFile(Path.of(program)) && Files.isExecutable(Path.of(program))
          ? null
          : "program '" + program + "' is not an executable file";
    }
    Secret own = spec.envOrEmpty().get("PATH");
    String path = own != null ? own.reveal() : System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path p = Path.of(dir, program);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) return null;
      }
    }
    return "program '" + program + "' is not found on PATH";
  }

  private static McpClientTransport transport(String name, McpServerSpec spec) {
    List<String> command = spec.command();
    if (command != null) {
      Map<String, String> env = new LinkedHashMap<>();
      for (Map.Entry<String, Secret> e : spec.envOrEmpty().entrySet()) {
        env.put(e.getKey(), e.getValue().reveal());
      }
      ServerParameters params =
          ServerParameters.builder(command.get(0))
              .args(command.subList(1, command.size()))
              .env(env)
              .build();
      StdioClientTransport t = new StdioClientTransport(params, MAPPER);
      t.setStdErrorHandler(line -> log.debug("MCP server '{}' stderr: {}", name, line));
      return t;
    }
    String url = java.util.Objects.requireNonNull(spec.url(), "url");
    HttpRequest.Builder request = HttpRequest.newBuilder();
    for (Map.Entry<String, Secret> e : spec.headersOrEmpty().entrySet()) {
      request.header(e.getKey(), e.getValue().reveal());
    }
    return HttpClientStreamableHttpTransport.builder(url)
        .endpoint(url)
        .jsonMapper(MAPPER)
        .requestBuilder(request)
        .connectTimeout(spec.timeoutOrDefault())
        .build();
  }

  /** {@code command [a, b]} or {@code at <url>}: no secret, since env and headers are left out. */
  private static String where(McpServerSpec spec) {
    return spec.command() != null ? "command " + spec.command() : "at " + spec.url();
  }

  /**
   * What went wrong: {@code it did not answer within <timeout>} for a timeout (the SDK's own text
   * names Reactor operators), else the innermost message of {@code e}'s causes.
   */
  private static String reason(Throwable e, McpServerSpec spec) {
    if (isTimeout(e)) return "it did not answer within " + human(spec.timeoutOrDefault());
    Throwable t = e;
    String message = null;
    while (t != null) {
      String m = t.getMessage();
      if (m != null && !m.isBlank()) message = m;
      if (t.getCause() == t) break;
      t = t.getCause();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** Whether {@code e} or a cause is the SDK's (Reactor's) timeout of a request. */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (t instanceof TimeoutException
          || m != null
              && (m.startsWith("Timeout on blocking read")
                  || m.startsWith("Did not observe any"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code 30s}, {@code 1m30s}, {@code 0.5s}: a duration as config.yml writes it. */
  static String human(java.time.Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  private static String version() {
    String v = McpServerConnection.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The server's tools, as {@code <server>.<tool>}. */
  public List<Tool> tools() {
    return tools;
  }

  /** Closes the session and the transport; a {@code command} server's process is ended. */
  @Override
  public void close() {
    try {
      // graceful: ends the session and waits for a command server's process to exit
      if (!client.closeGracefully()) client.close();
    } catch (RuntimeException e) {
      log.warn("closing MCP server '{}' failed", name, e);
    }
  }

  @Override
  public String toString() {
    return "MCP server '" + name + "'";
  }
}
