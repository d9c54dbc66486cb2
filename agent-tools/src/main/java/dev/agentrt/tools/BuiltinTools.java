package dev.agentrt.tools;

import dev.agentrt.core.spi.Tool;
import dev.agentrt.tools.internal.DataTools;
import dev.agentrt.tools.internal.FsTools;
import dev.agentrt.tools.internal.GrepTool;
import dev.agentrt.tools.internal.HttpTool;
import dev.agentrt.tools.internal.TestsRunTool;
import java.util.List;

/**
 * The built-in tools. A {@link ToolBus} built with discovery on (the default) has all of them; with
 * discovery off, register them with {@code ToolBus.builder().tools(BuiltinTools.all())}. Their
 * arguments, results, effects and settings are documented in {@code docs/tools.md}.
 *
 * @since 0.1
 */
public final class BuiltinTools {
  private BuiltinTools() {}

  /** Every built-in tool, in the order of {@code docs/tools.md}. */
  public static List<Tool> all() {
    return List.of(
        fsRead(),
        fsWrite(),
        fsList(),
        grep(),
        http(),
        jsonQuery(),
        yamlParse(),
        yamlDump(),
        testsRun());
  }

  /** {@code fs.read}: lines of a text file in the workspace; effect none. */
  public static Tool fsRead() {
    return new FsTools.ReadTool();
  }

  /** {@code fs.write}: create, overwrite or append a file atomically; effect non_idempotent. */
  public static Tool fsWrite() {
    return new FsTools.WriteTool();
  }

  /** {@code fs.list}: a directory's entries, optionally by glob; effect none. */
  public static Tool fsList() {
    return new FsTools.ListTool();
  }

  /** {@code grep}: regular-expression search, ripgrep when on PATH, else Java; effect none. */
  public static Tool grep() {
    return new GrepTool();
  }

  /** {@code http}: one request to an allowlisted host; effect non_idempotent. */
  public static Tool http() {
    return new HttpTool();
  }

  /** {@code json.query}: JSON Pointer or JSONPath; effect none. */
  public static Tool jsonQuery() {
    return new DataTools.JsonQueryTool();
  }

  /** {@code yaml.parse}: YAML text to JSON; effect none. */
  public static Tool yamlParse() {
    return new DataTools.YamlParseTool();
  }

  /** {@code yaml.dump}: JSON to YAML text; effect none. */
  public static Tool yamlDump() {
    return new DataTools.YamlDumpTool();
  }

  /** {@code tests.run}: the configured test command plus JUnit XML parsing; effect idempotent. */
  public static Tool testsRun() {
    return new TestsRunTool();
  }
}
