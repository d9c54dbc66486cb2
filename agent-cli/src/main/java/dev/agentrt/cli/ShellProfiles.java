package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.manifest.LocatedYaml;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.ManifestProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The profiles of {@code agentrt shell} ({@code cli_profiles.yml} in the configuration directory):
 * how a plain line becomes a workflow's input.
 *
 * <pre>
 * default: write
 * profiles:
 *   write: {workflow: mini-editor, input: {request: "{{line}}", mode: create}}
 * </pre>
 *
 * Every string of {@code input} may contain {@code {{line}}}, replaced by the line; a string that
 * is exactly {@code {{line}}} becomes the line. Other values are copied.
 */
record ShellProfiles(Map<String, Profile> profiles, @Nullable String defaultName) {
  static final String FILE = "cli_profiles.yml";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
  private static final Set<String> TOP_KEYS = Set.of("profiles", "default");
  private static final Set<String> PROFILE_KEYS = Set.of("workflow", "input", "description");

  /** One profile: the workflow a line runs and the template of its input. */
  record Profile(String name, String workflow, JsonNode input, @Nullable String description) {
    /** The input for {@code line}: the template with {@code {{line}}} replaced. */
    JsonNode inputFor(String line) {
      return fill(input, line);
    }
  }

  static ShellProfiles none() {
    return new ShellProfiles(Map.of(), null);
  }

  /**
   * The profiles of {@code file}, none if it does not exist.
   *
   * @param shown the file's name in problems
   * @param workflows the workflows of the configuration, which profiles must name
   * @throws ManifestException listing every problem at its line and column
   */
  static ShellProfiles load(Path file, String shown, Set<String> workflows) {
    if (!Files.exists(file)) return none();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException(
          List.of(new ManifestProblem(shown, 0, 0, "cannot read: " + e.getMessage())));
    }
    LocatedYaml doc = ManifestLoader.readYaml(shown, text);
    List<ManifestProblem> problems = new ArrayList<>();
    Checker c = new Checker(shown, doc, problems);
    for (String d : doc.duplicateKeys()) {
      c.atKey(d, "duplicate key '" + unescape(d) + "' (remove one; the later value would win)");
    }
    JsonNode root = doc.root();
    Map<String, Profile> profiles = new LinkedHashMap<>();
    String defaultName = null;
    if (!root.isObject()) {
      c.at("", "must be a mapping with profiles: (name -> {workflow, input}) and default:");
    } else {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!TOP_KEYS.contains(key))
          c.atKey("/" + escape(key), "unknown key '" + key + "' (expected profiles, default)");
      }
      JsonNode ps = root.path("profiles");
      if (!ps.isObject() || ps.isEmpty()) {
        c.at(
            root.has("profiles") ? "/profiles" : "",
            "profiles must be a non-empty mapping: name -> {workflow: ID, input: {field:"
                + " \"{{line}}\"}}");
      } else {
        for (Map.Entry<String, JsonNode> e : ps.properties()) {
          Profile p = profile(c, e.getKey(), e.getValue(), workflows);
          if (p != null) profiles.put(p.name(), p);
        }
      }
      JsonNode d = root.get("default");
      if (d != null) {
        if (!d.isTextual()) {
          c.at("/default", "default must be the name of a profile, not " + d);
        } else if (ps.isObject() && !ps.has(d.asText())) {
          c.at(
              "/default",
              "default '"
                  + d.asText()
                  + "' is not a profile (one of: "
                  + String.join(", ", names(ps))
                  + ")");
        } else {
          defaultName = d.asText();
        }
      }
    }
    if (!problems.isEmpty()) throw new ManifestException(problems);
    if (defaultName == null && profiles.size() == 1)
      defaultName = profiles.keySet().iterator().next();
    return new ShellProfiles(Map.copyOf(profiles), defaultName);
  }

  private static @Nullable Profile profile(
      Checker c, String name, JsonNode p, Set<String> workflows) {
    String at = "/profiles/" + escape(name);
    if (!p.isObject()) {
      c.at(at, "profile '" + name + "' must be a mapping with workflow: and input:");
      return null;
    }
    int before = c.problems.size();
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!PROFILE_KEYS.contains(key))
        c.atKey(
            at + "/" + escape(key),
            "unknown key '" + key + "' in profile '" + name + "' (expected workflow, input)");
    }
    JsonNode w = p.get("workflow");
    if (w == null) {
      c.at(at, "profile '" + name + "': missing workflow: (one of: " + sorted(workflows) + ")");
    } else if (!w.isTextual()) {
      c.at(at + "/workflow", "workflow must be a workflow id, not " + w);
    } else if (!workflows.contains(w.asText())) {
      c.at(
          at + "/workflow",
          "profile '"
              + name
              + "': no workflow '"
              + w.asText()
              + "' (one of: "
              + sorted(workflows)
              + ")");
    }
    JsonNode input = p.get("input");
    if (input == null) {
      c.at(
          at, "profile '" + name + "': missing input: (a mapping such as {request: \"{{line}}\"})");
    } else if (!input.isObject()) {
      c.at(
          at + "/input",
          "input must be a mapping such as {request: \"{{line}}\"}, not " + input.getNodeType());
    } else {
      checkPlaceholders(c, at + "/input", input);
    }
    JsonNode description = p.get("description");
    if (description != null && !description.isTextual())
      c.at(at + "/description", "description must be a string");
    if (c.problems.size() > before) return null;
    return new Profile(
        name, p.get("workflow").asText(), input, description == null ? null : description.asText());
  }

  private static void checkPlaceholders(Checker c, String at, JsonNode v) {
    if (v.isTextual()) {
      Matcher m = PLACEHOLDER.matcher(v.asText());
      while (m.find()) {
        if (!m.group(1).equals("line"))
          c.at(
              at,
              "unknown placeholder '{{"
                  + m.group(1)
                  + "}}' (only {{line}}, the line typed, is replaced)");
      }
    } else if (v.isObject()) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        checkPlaceholders(c, at + "/" + escape(e.getKey()), e.getValue());
      }
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) checkPlaceholders(c, at + "/" + i, v.get(i));
    }
  }

  private static JsonNode fill(JsonNode v, String line) {
    if (v.isTextual()) {
      String s = v.asText();
      if (PLACEHOLDER.matcher(s).matches()) return TextNode.valueOf(line);
      return TextNode.valueOf(PLACEHOLDER.matcher(s).replaceAll(Matcher.quoteReplacement(line)));
    }
    if (v.isObject()) {
      ObjectNode o = RunReport.MAPPER.createObjectNode();
      for (Map.Entry<String, JsonNode> e : v.properties())
        o.set(e.getKey(), fill(e.getValue(), line));
      return o;
    }
    if (v.isArray()) {
      ArrayNode a = RunReport.MAPPER.createArrayNode();
      v.forEach(x -> a.add(fill(x, line)));
      return a;
    }
    return v.deepCopy();
  }

  private static List<String> names(JsonNode ps) {
    List<String> names = new ArrayList<>();
    ps.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String sorted(Set<String> s) {
    return String.join(", ", new java.util.TreeSet<>(s));
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String unescape(String pointer) {
    return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
  }

  /** Collects problems at the line and column of a JSON pointer. */
  private record Checker(String file, LocatedYaml doc, List<ManifestProblem> problems) {
    void at(String pointer, String message) {
      add(doc.locate(pointer), message);
    }

    void atKey(String pointer, String message) {
      add(doc.locateKey(pointer), message);
    }

    private void add(String lineColumn, String message) {
      String[] lc = lineColumn.split(":");
      problems.add(
          new ManifestProblem(file, Integer.parseInt(lc[0]), Integer.parseInt(lc[1]), message));
    }
  }
}
