package dev.agentrt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.memory.MemoryFilter;
import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentrt memory put|search|prune|reembed}: the runtime's memory from the command line. */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description = "Writes, searches, prunes and re-embeds memory (see docs/memory.md).",
    subcommands = {
      MemoryCommand.Put.class,
      MemoryCommand.Search.class,
      MemoryCommand.Prune.class,
      MemoryCommand.Reembed.class
    })
final class MemoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "name a subcommand: put, search, prune or reembed");
  }

  /** The space named by {@code --scope} (and {@code --run} for the task scope). */
  static MemorySpace space(
      CommandSpec spec, AgentRuntime rt, MemoryScope scope, @Nullable String run) {
    if (scope == MemoryScope.TASK) {
      if (run == null)
        throw new ParameterException(
            spec.commandLine(), "--scope task needs --run RUN_ID (a task space is one run's)");
      return MemorySpace.task(run);
    }
    if (run != null)
      throw new ParameterException(
          spec.commandLine(),
          "--run applies to --scope task only (not " + scope.configName() + ")");
    return rt.memorySpace(scope);
  }

  static MemoryScope scope(CommandSpec spec, String name) {
    try {
      return MemoryScope.parse(name.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--scope: " + e.getMessage());
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Writes one item (replacing the item of the same key in that scope).")
  static final class Put implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(
        names = "--scope",
        paramLabel = "SCOPE",
        defaultValue = "project",
        description = "task, project or global (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "The run of --scope task.")
    String run;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The item's key.")
    String key;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "Its text.")
    String text;

    @Option(
        names = "--meta",
        paramLabel = "JSON",
        description = "Its metadata, a JSON object such as '{\"lang\":\"en\"}'.")
    String meta;

    @Option(
        names = "--tags",
        paramLabel = "a,b",
        split = ",",
        description = "Its tags, separated by commas.")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
      ObjectNode metadata = metadata(spec, meta);
      MemoryWrite write;
      try {
        write = new MemoryWrite(key, text, metadata, tags);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      try (AgentRuntime rt = config.openForReading()) {
        MemorySpace space = space(spec, rt, MemoryCommand.scope(spec, scope), run);
        MemoryItem item = rt.memory().put(space, write);
        spec.commandLine()
            .getOut()
            .printf(
                "%s %s/%s%n",
                item.created().equals(item.updated()) ? "created" : "updated",
                space.scope().configName(),
                item.key());
        spec.commandLine().getOut().flush();
        return ExitCode.COMPLETED;
      }
    }

    private static ObjectNode metadata(CommandSpec spec, @Nullable String meta) {
      if (meta == null) return RunReport.MAPPER.createObjectNode();
      try {
        JsonNode node = RunReport.MAPPER.readTree(meta);
        if (node instanceof ObjectNode o) return o;
        throw new ParameterException(
            spec.commandLine(), "--meta must be a JSON object, got " + node.getNodeType());
      } catch (JsonProcessingException e) {
        throw new ParameterException(
            spec.commandLine(), "--meta is not JSON: " + e.getOriginalMessage());
      }
    }
  }

  @Command(
      name = "search",
      mixinStandardHelpOptions = true,
      description = "Finds the items closest to TEXT, best first.")
  static final class Search implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "TEXT", description = "What to look for.")
    String text;

    @Option(
        names = "--scope",
        paramLabel = "SCOPE",
        split = ",",
        description = "Where to search: task, project, global (default: project and global).")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--run", paramLabel = "RUN_ID", description = "The run of --scope task.")
    String run;

    @Option(
        names = "--k",
        paramLabel = "N",
        defaultValue = "10",
        description = "At most N hits (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
        names = "--mode",
        paramLabel = "MODE",
        description =
            "hybrid, sparse or dense (default: hybrid with an embedding model, else sparse).")
    String mode;

    @Option(
        names = "--filter",
        paramLabel = "FIELD=VALUE",
        description =
            "Only items whose metadata FIELD is VALUE (repeat for more; the same FIELD twice"
                + " means either value); tag=T: only items tagged T.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--json", description = "Print the hits as JSON with their scores and ranks.")
    boolean json;

    @Override
    public Integer call() {
      MemoryFilter filter = filter(spec, filters);
      SearchMode m;
      try {
        m = mode == null ? null : SearchMode.parse(mode.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
      }
      try (AgentRuntime rt = config.openForReading()) {
        List<MemorySpace> spaces = new ArrayList<>();
        List<String> names = scopes.isEmpty() ? List.of("project", "global") : scopes;
        for (String s : names) {
          MemoryScope scope = MemoryCommand.scope(spec, s);
          spaces.add(space(spec, rt, scope, scope == MemoryScope.TASK ? run : null));
        }
        MemoryQuery query;
        try {
          query =
              MemoryQuery.of(text, spaces.toArray(MemorySpace[]::new))
                  .withK(k)
                  .withMode(m)
                  .withFilter(filter);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<MemoryHit> hits = rt.memory().search(query);
        var out = spec.commandLine().getOut();
        out.print(json ? json(hits) : table(hits));
        out.flush();
        return ExitCode.COMPLETED;
      }
    }

    private static MemoryFilter filter(CommandSpec spec, List<String> filters) {
      Map<String, List<String>> values = new LinkedHashMap<>();
      MemoryFilter f = MemoryFilter.NONE;
      for (String s : filters) {
        int eq = s.indexOf('=');
        if (eq <= 0)
          throw new ParameterException(
              spec.commandLine(), "--filter '" + s + "': write FIELD=VALUE (or tag=T)");
        String field = s.substring(0, eq);
        String value = s.substring(eq + 1);
        if (field.equals("tag")) f = f.tag(value);
        else values.computeIfAbsent(field, x -> new ArrayList<>()).add(value);
      }
      for (Map.Entry<String, List<String>> e : values.entrySet())
        f = f.in(e.getKey(), e.getValue());
      return f;
    }

    static String json(List<MemoryHit> hits) {
      ObjectNode root = RunReport.MAPPER.createObjectNode();
      ArrayNode array = root.putArray("hits");
      for (MemoryHit h : hits) {
        ObjectNode o = array.addObject();
        o.put("key", h.item().key());
        o.put("scope", h.item().space().scope().configName());
        o.put("text", h.item().text());
        o.set("metadata", h.item().metadata());
        o.put("fused_score", h.fusedScore());
        putNullable(o, "dense_score", h.denseScore());
        putNullable(o, "sparse_score", h.sparseScore());
        if (h.denseRank() == null) o.putNull("dense_rank");
        else o.put("dense_rank", h.denseRank());
        if (h.sparseRank() == null) o.putNull("sparse_rank");
        else o.put("sparse_rank", h.sparseRank());
      }
      return RunReport.write(root, false) + "\n";
    }

    private static void putNullable(ObjectNode o, String name, @Nullable Double value) {
      if (value == null) o.putNull(name);
      else o.put(name, value);
    }

    private static String table(List<MemoryHit> hits) {
      if (hits.isEmpty()) return "(no hits)\n";
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SCORE", "SCOPE", "KEY", "TEXT"});
      for (MemoryHit h : hits) {
        String t = h.item().text().replaceAll("\\s+", " ");
        rows.add(
            new String[] {
              String.format(Locale.ROOT, "%.4f", h.fusedScore()),
              h.item().space().scope().configName(),
              h.item().key(),
              t.length() > 80 ? t.substring(0, 77) + "..." : t
            });
      }
      return RunReport.table(rows);
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description = "Applies retention now (max_age, max_items of each scope in config.yml).")
  static final class Prune implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      try (AgentRuntime rt = config.openForReading()) {
        int deleted = rt.memory().prune();
        spec.commandLine().getOut().printf("pruned %d item%s%n", deleted, deleted == 1 ? "" : "s");
        spec.commandLine().getOut().flush();
        return ExitCode.COMPLETED;
      }
    }
  }

  @Command(
      name = "reembed",
      mixinStandardHelpOptions = true,
      description =
          "Embeds again, with the current embedding model, every item stored with another model.")
  static final class Reembed implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      try (AgentRuntime rt = config.openForReading()) {
        int n = rt.memory().reembed();
        spec.commandLine().getOut().printf("re-embedded %d item%s%n", n, n == 1 ? "" : "s");
        spec.commandLine().getOut().flush();
        return ExitCode.COMPLETED;
      }
    }
  }
}
