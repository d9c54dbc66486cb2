package dev.agentrt.tools.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/** The data tools: {@code json.query}, {@code yaml.parse}, {@code yaml.dump}. */
public final class DataTools {
  private static final int MAX_YAML_CODE_POINTS = 3 * 1024 * 1024;
  private static final ObjectMapper YAML_READER;
  private static final ObjectMapper YAML_WRITER =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());
  private static final Configuration JSON_PATH =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider())
          .mappingProvider(new JacksonMappingProvider())
          .options(EnumSet.of(Option.ALWAYS_RETURN_LIST))
          .build();

  static {
    LoaderOptions lo = new LoaderOptions();
    lo.setMaxAliasesForCollections(50);
    lo.setCodePointLimit(MAX_YAML_CODE_POINTS);
    lo.setAllowDuplicateKeys(false);
    YAML_READER = new ObjectMapper(YAMLFactory.builder().loaderOptions(lo).build());
  }

  private DataTools() {}

  record QueryArgs(
      @JsonPropertyDescription("The JSON document to query") JsonNode json,
      @JsonPropertyDescription("JSON Pointer (RFC 6901), such as /items/0/name; give this or path")
          @Nullable String pointer,
      @JsonPropertyDescription("JSONPath expression, such as $.items[*].name; give this or pointer")
          @Nullable String path) {}

  /** {@code json.query}: JSON Pointer or JSONPath over a document. */
  public static final class JsonQueryTool implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "json.query",
            "Selects parts of a JSON document with a JSON Pointer (one value) or a JSONPath expression (a list of values).",
            ToolSchemas.of(QueryArgs.class),
            Set.of(),
            Effect.NONE,
            List.of("data"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) {
      QueryArgs a = call.argumentsAs(QueryArgs.class);
      if ((a.pointer() == null) == (a.path() == null)) {
        return ToolResult.failure(
            "give exactly one of pointer (JSON Pointer, /a/0) and path (JSONPath, $.a[0])");
      }
      ObjectNode out = FsTools.NODES.objectNode();
      if (a.pointer() != null) {
        JsonPointer ptr;
        try {
          ptr = JsonPointer.compile(a.pointer());
        } catch (IllegalArgumentException e) {
          return ToolResult.failure(
              "pointer '"
                  + a.pointer()
                  + "' is not a JSON Pointer: "
                  + e.getMessage()
                  + " (it starts with / and separates names with /)");
        }
        JsonNode v = a.json().at(ptr);
        if (v.isMissingNode())
          return ToolResult.failure(
              "pointer '" + a.pointer() + "' selects nothing in the document");
        out.set("value", v);
        return ToolResult.success(out);
      }
      try {
        JsonNode v = JsonPath.using(JSON_PATH).parse(a.json()).read(a.path());
        out.set("values", v);
        return ToolResult.success(out);
      } catch (PathNotFoundException e) {
        return ToolResult.failure("path '" + a.path() + "' selects nothing: " + e.getMessage());
      } catch (InvalidPathException e) {
        return ToolResult.failure(
            "path '" + a.path() + "' is not a valid JSONPath: " + e.getMessage());
      }
    }
  }

  record ParseArgs(@JsonPropertyDescription("YAML text (one document)") String text) {}

  /** {@code yaml.parse}: YAML text to a JSON value. */
  public static final class YamlParseTool implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "yaml.parse",
            "Parses YAML text (one document) into a JSON value.",
            ToolSchemas.of(ParseArgs.class),
            Set.of(),
            Effect.NONE,
            List.of("data"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) {
      ParseArgs a = call.argumentsAs(ParseArgs.class);
      try {
        JsonNode v = YAML_READER.readTree(a.text());
        ObjectNode out = FsTools.NODES.objectNode();
        out.set("value", v == null || v.isMissingNode() ? FsTools.NODES.nullNode() : v);
        return ToolResult.success(out);
      } catch (IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return ToolResult.failure("text is not valid YAML: " + msg.lines().findFirst().orElse(msg));
      }
    }
  }

  record DumpArgs(@JsonPropertyDescription("The value to write as YAML") JsonNode value) {}

  /** {@code yaml.dump}: a JSON value to YAML text. */
  public static final class YamlDumpTool implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "yaml.dump",
            "Writes a JSON value as YAML text.",
            ToolSchemas.of(DumpArgs.class),
            Set.of(),
            Effect.NONE,
            List.of("data"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException {
      DumpArgs a = call.argumentsAs(DumpArgs.class);
      ObjectNode out = FsTools.NODES.objectNode();
      out.put("text", YAML_WRITER.writeValueAsString(a.value()));
      return ToolResult.success(out);
    }
  }
}
