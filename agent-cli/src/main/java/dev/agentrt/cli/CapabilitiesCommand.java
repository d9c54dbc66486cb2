package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.Capabilities.Entry;
import dev.agentrt.core.manifest.Capabilities.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt capabilities}: the capability registry of the directory, loaded as {@code
 * validate} loads it (no checkpoint store, no thread); the tools are those on the classpath (the
 * built-in ones, agent-memory's).
 */
@Command(
    name = "capabilities",
    mixinStandardHelpOptions = true,
    description = {
      "Lists agents, tools and nodes with their capability tags.",
      "A node provides its own tags, its agent's and its tool's; its requires: is shown beside them."
    })
final class CapabilitiesCommand implements Callable<Integer> {
  /** The widest description printed in the table; --json prints it whole. */
  static final int DESCRIPTION_WIDTH = 60;

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--json",
      description =
          "Print one JSON object: agents, tools and nodes (each with id, description, tags; nodes"
              + " also workflow and requires) and every tag provided.")
  boolean json;

  @Override
  public Integer call() {
    Capabilities caps = config.capabilities();
    var out = spec.commandLine().getOut();
    out.print(json ? RunReport.write(json(caps), false) + "\n" : text(caps));
    out.flush();
    return ExitCode.COMPLETED;
  }

  static ObjectNode json(Capabilities caps) {
    ObjectNode root = RunReport.MAPPER.createObjectNode();
    ArrayNode agents = root.putArray("agents");
    ArrayNode tools = root.putArray("tools");
    ArrayNode nodes = root.putArray("nodes");
    for (Entry e : caps.entries()) {
      ObjectNode o =
          switch (e.kind()) {
            case AGENT -> agents.addObject();
            case TOOL -> tools.addObject();
            case NODE -> nodes.addObject().put("workflow", e.workflow());
          };
      o.put("id", e.id());
      o.put("description", e.description());
      strings(o.putArray("tags"), e.tags());
      if (e.kind() == Kind.NODE) strings(o.putArray("requires"), e.requires());
    }
    strings(root.putArray("tags"), caps.tags());
    return root;
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    for (String v : values) array.add(v);
  }

  static String text(Capabilities caps) {
    StringBuilder sb = new StringBuilder();
    section(sb, "Agents", List.of("AGENT", "TAGS", "DESCRIPTION"), caps.entries(Kind.AGENT));
    sb.append('\n');
    section(sb, "Tools", List.of("TOOL", "TAGS", "DESCRIPTION"), caps.entries(Kind.TOOL));
    sb.append('\n');
    section(
        sb,
        "Nodes",
        List.of("WORKFLOW", "NODE", "TAGS", "REQUIRES", "DESCRIPTION"),
        caps.entries(Kind.NODE));
    return sb.toString();
  }

  private static void section(
      StringBuilder sb, String title, List<String> header, List<Entry> entries) {
    sb.append(title).append(":\n");
    if (entries.isEmpty()) {
      sb.append("(none)\n");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(header.toArray(String[]::new));
    for (Entry e : entries) {
      List<String> row = new ArrayList<>();
      if (e.kind() == Kind.NODE) row.add(String.valueOf(e.workflow()));
      row.add(e.id());
      row.add(list(e.tags()));
      if (e.kind() == Kind.NODE) row.add(list(e.requires()));
      row.add(cut(e.description()));
      rows.add(row.toArray(String[]::new));
    }
    sb.append(RunReport.table(rows));
  }

  private static String list(Collection<String> tags) {
    return tags.isEmpty() ? "-" : String.join(",", tags);
  }

  /** The description's first line, at most {@link #DESCRIPTION_WIDTH} characters. */
  static String cut(@Nullable String description) {
    if (description == null || description.isBlank()) return "-";
    String s = description.strip();
    int nl = s.indexOf('\n');
    if (nl >= 0) s = s.substring(0, nl).strip() + "...";
    if (s.length() > DESCRIPTION_WIDTH)
      s = s.substring(0, DESCRIPTION_WIDTH - 3).stripTrailing() + "...";
    return s;
  }
}
