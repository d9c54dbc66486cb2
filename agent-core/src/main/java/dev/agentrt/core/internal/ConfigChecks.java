package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.ContextProfileSpec;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.McpServerSpec;
import dev.agentrt.core.manifest.MemorySpec;
import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.core.manifest.RuntimeConfig;
import dev.agentrt.core.manifest.TelemetrySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/** The rules of config.yml and the agent files that their records cannot say alone. */
final class ConfigChecks {
  private ConfigChecks() {}

  /**
   * Providers whose models cannot be called without a credential, and the variable that usually
   * holds it.
   */
  static final Map<String, String> KEYED_PROVIDERS =
      Map.of("openai", "OPENAI_API_KEY", "anthropic", "ANTHROPIC_API_KEY");

  /**
   * What config.yml's records cannot say alone.
   *
   * @param registered the names of the model instances registered on the runtime builder, which a
   *     {@code fallback:} may name as well as the entries of {@code models:}
   */
  static void checkConfig(RuntimeConfig config, Set<String> registered, ManifestFile f) {
    for (Map.Entry<String, ModelSpec> e : config.modelsOrEmpty().entrySet()) {
      ModelSpec m = e.getValue();
      if (m == null || m.provider() == null) continue;
      String envName = KEYED_PROVIDERS.get(m.provider());
      if (envName != null && m.apiKey() == null) {
        f.problem(
            "/models/" + LocatedTree.escape(e.getKey()),
            "models."
                + e.getKey()
                + ": provider '"
                + m.provider()
                + "' needs api_key: (write api_key: ${env:"
                + envName
                + "})");
      }
    }
    checkFallbacks(config, registered, f);
    checkCheckpoint(config.checkpoint(), f);
    checkTelemetry(config.telemetry(), f);
    checkMemory(config.memory(), f);
    checkContextProfiles(config, f);
    checkMcpServers(config, f);
  }

  /**
   * A server's name is a tool-name segment; it has exactly one of {@code command} (a non-empty
   * list) and {@code url} (http or https); {@code env} goes with a command, {@code headers} with a
   * url; its timeout is positive.
   */
  private static void checkMcpServers(RuntimeConfig config, ManifestFile f) {
    for (Map.Entry<String, McpServerSpec> e : config.mcpServersOrEmpty().entrySet()) {
      String at = "/mcp_servers/" + LocatedTree.escape(e.getKey());
      String subject = "mcp_servers." + e.getKey();
      if (!McpServerSpec.NAME.matcher(e.getKey()).matches()) {
        f.problemAtKey(
            at,
            subject
                + ": server name '"
                + e.getKey()
                + "' must start with a lower-case letter and contain only lower-case letters,"
                + " digits and '_' (its tools are named <server>.<tool>)");
      }
      McpServerSpec s = e.getValue();
      if (s == null) {
        f.problem(at, subject + ": give command: [program, args...] or url: http://...");
        continue;
      }
      if ((s.command() == null) == (s.url() == null)) {
        f.problem(
            at,
            subject
                + (s.command() == null
                    ? ": neither command nor url is given (give command: [program, args...] for a"
                        + " stdio server or url: http://... for a streamable HTTP server)"
                    : ": both command and url are given (give one: command for a stdio server, url"
                        + " for a streamable HTTP server)"));
      }
      List<String> command = s.command();
      if (command != null) {
        if (command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
          f.problem(
              at + "/command",
              subject + ".command: names no program (write command: [program, args...])");
        }
        for (int i = 0; i < command.size(); i++) {
          if (command.get(i) == null) {
            f.problem(at + "/command/" + i, subject + ".command[" + i + "]: is empty");
          }
        }
      }
      String url = s.url();
      if (url != null && !isHttpUrl(url)) {
        f.problem(
            at + "/url",
            subject
                + ".url: '"
                + url
                + "' is not an http or https URL (write url: https://host/path)");
      }
      if (s.env() != null && command == null) {
        f.problem(
            at + "/env",
            subject
                + ".env: only a command server has an environment (remove env:, or use"
                + " headers: for a url server)");
      }
      if (s.headers() != null && url == null) {
        f.problem(
            at + "/headers",
            subject
                + ".headers: only a url server takes HTTP headers (remove headers:, or use"
                + " env: for a command server)");
      }
      Duration timeout = s.timeout();
      if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
        f.problem(
            at + "/timeout",
            subject
                + ".timeout: must be a positive duration, was "
                + timeout
                + " ("
                + Durations.SYNTAX
                + ")");
      }
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
          && u.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /**
   * A profile lists each section once, includes {@code input}, has a {@code memory:} search exactly
   * when it lists {@code memory}, and its query is a valid template.
   */
  private static void checkContextProfiles(RuntimeConfig config, ManifestFile f) {
    for (Map.Entry<String, ContextProfileSpec> e : config.contextProfilesOrEmpty().entrySet()) {
      ContextProfileSpec p = e.getValue();
      if (p == null || p.sections() == null) continue;
      String at = "/context_profiles/" + LocatedTree.escape(e.getKey());
      String subject = "context_profiles." + e.getKey();
      Set<ContextProfileSpec.Section> seen = new java.util.HashSet<>();
      for (int i = 0; i < p.sections().size(); i++) {
        ContextProfileSpec.Section s = p.sections().get(i);
        if (s != null && !seen.add(s)) {
          f.problem(
              at + "/sections/" + i,
              subject
                  + ".sections["
                  + i
                  + "]: '"
                  + s.yamlName()
                  + "' is listed twice (list each section once)");
        }
      }
      if (!seen.contains(ContextProfileSpec.Section.INPUT)) {
        f.problem(
            at + "/sections",
            subject
                + ".sections: 'input' is missing (the agent would not see its input; add input)");
      }
      boolean listsMemory = seen.contains(ContextProfileSpec.Section.MEMORY);
      if (listsMemory && p.memory() == null) {
        f.problem(
            at + "/sections",
            subject
                + ".sections: 'memory' is listed but the profile has no memory: search (add"
                + " memory: {k: 5, scopes: [task], query: \"{{input...}}\"})");
      } else if (!listsMemory && p.memory() != null) {
        f.problem(
            at + "/memory",
            subject
                + ".memory: the search is never used because sections does not list 'memory'"
                + " (add memory to sections, or remove memory:)");
      }
      if (p.memory() != null && p.memory().query() != null) {
        try {
          dev.agentrt.core.Templates.compile(
              com.fasterxml.jackson.databind.node.TextNode.valueOf(p.memory().query()));
        } catch (IllegalArgumentException ex) {
          f.problem(at + "/memory/query", subject + ".memory.query: " + ex.getMessage());
        }
      }
    }
  }

  /**
   * Each {@code fallback:} names another model, once; the chains do not loop; {@code
   * circuit_breaker.open_for} and {@code rate_limit.per} are positive.
   */
  private static void checkFallbacks(RuntimeConfig config, Set<String> registered, ManifestFile f) {
    Map<String, ModelSpec> models = config.modelsOrEmpty();
    Set<String> known = new TreeSet<>(registered);
    known.addAll(models.keySet());
    for (Map.Entry<String, ModelSpec> e : models.entrySet()) {
      ModelSpec m = e.getValue();
      if (m == null) continue;
      String at = "/models/" + LocatedTree.escape(e.getKey());
      Duration openFor = m.circuitBreaker() == null ? null : m.circuitBreaker().openFor();
      if (openFor != null && (openFor.isZero() || openFor.isNegative())) {
        f.problem(
            at + "/circuit_breaker/open_for",
            "models."
                + e.getKey()
                + ".circuit_breaker.open_for: must be a positive duration, was "
                + openFor
                + " ("
                + Durations.SYNTAX
                + ")");
      }
      Duration per = m.rateLimit() == null ? null : m.rateLimit().per();
      if (per != null && (per.isZero() || per.isNegative())) {
        f.problem(
            at + "/rate_limit/per",
            "models."
                + e.getKey()
                + ".rate_limit.per: must be a positive duration, was "
                + per
                + " ("
                + Durations.SYNTAX
                + ")");
      }
      List<String> fallback = m.fallbackOrEmpty();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < fallback.size(); i++) {
        String name = fallback.get(i);
        if (name == null) continue;
        String subject = "models." + e.getKey() + ".fallback[" + i + "]: ";
        if (name.equals(e.getKey())) {
          f.problem(
              at + "/fallback/" + i,
              subject + "'" + name + "' is the model itself (name another entry of models:)");
        } else if (!known.contains(name)) {
          String hint = Suggest.didYouMean(name, known);
          f.problem(
              at + "/fallback/" + i,
              subject
                  + "no model '"
                  + name
                  + "'"
                  + (hint.isEmpty() ? " (known: " + String.join(", ", known) + ")" : hint));
        } else if (!seen.add(name)) {
          f.problem(
              at + "/fallback/" + i,
              subject + "'" + name + "' is listed twice (list each fallback once)");
        }
      }
    }
    // loops through other entries' fallback lists: a back edge of a depth-first walk closes one
    Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
    for (String start : models.keySet()) {
      if (!state.containsKey(start)) walk(start, models, state, new ArrayList<>(), f);
    }
  }

  private static void walk(
      String key,
      Map<String, ModelSpec> models,
      Map<String, Integer> state,
      List<String> path,
      ManifestFile f) {
    state.put(key, 1);
    path.add(key);
    ModelSpec m = models.get(key);
    List<String> fallback = m == null ? List.of() : m.fallbackOrEmpty();
    for (int i = 0; i < fallback.size(); i++) {
      String next = fallback.get(i);
      if (next == null || next.equals(key) || !models.containsKey(next)) continue;
      Integer s = state.get(next);
      if (s == null) {
        walk(next, models, state, path, f);
      } else if (s == 1) {
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
        loop.add(next);
        f.problem(
            "/models/" + LocatedTree.escape(key) + "/fallback/" + i,
            "models."
                + key
                + ".fallback["
                + i
                + "]: '"
                + next
                + "' leads back to itself ("
                + String.join(" -> ", loop)
                + "); fallback chains must not loop (remove one of these fallbacks)");
      }
    }
    path.remove(path.size() - 1);
    state.put(key, 2);
  }

  /** The shortest and longest lease of a run (a shorter one would expire between two renewals). */
  static final Duration MIN_LEASE = Duration.ofMillis(10);

  static final Duration MAX_LEASE = Duration.ofDays(1);

  private static void checkCheckpoint(@Nullable CheckpointSpec spec, ManifestFile f) {
    Duration ttl = spec == null ? null : spec.leaseTtl();
    if (ttl != null && (ttl.compareTo(MIN_LEASE) < 0 || ttl.compareTo(MAX_LEASE) > 0)) {
      f.problem(
          "/checkpoint/lease_ttl",
          "checkpoint.lease_ttl: must be between 10ms and 1 day, was " + ttl);
    }
  }

  /**
   * Every {@code redact:} entry must compile; the message does not echo it (it may hold a secret).
   */
  private static void checkTelemetry(@Nullable TelemetrySpec spec, ManifestFile f) {
    List<String> redact = spec == null ? null : spec.redact();
    if (redact == null) return;
    for (int i = 0; i < redact.size(); i++) {
      String regex = redact.get(i);
      if (regex == null) continue;
      try {
        java.util.regex.Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        f.problem(
            "/telemetry/redact/" + i,
            "telemetry.redact["
                + i
                + "]: not a regular expression: "
                + e.getDescription()
                + " at index "
                + e.getIndex()
                + " (escape special characters with a backslash)");
      }
    }
  }

  private static void checkMemory(@Nullable MemorySpec spec, ManifestFile f) {
    if (spec == null) return;
    checkRetention("task", spec.task(), f);
    checkRetention("project", spec.project(), f);
    checkRetention("global", spec.global(), f);
  }

  private static void checkRetention(
      String scope, MemorySpec.@Nullable ScopeSpec spec, ManifestFile f) {
    Duration age = spec == null || spec.retention() == null ? null : spec.retention().maxAge();
    if (age != null && (age.isZero() || age.isNegative())) {
      f.problem(
          "/memory/" + scope + "/retention/max_age",
          "memory."
              + scope
              + ".retention.max_age: must be a positive "
              + "duration, was "
              + age
              + " ("
              + Durations.SYNTAX
              + ")");
    }
  }

  /**
   * @param config null when config.yml could not be read: model references are then not checked
   * @param registered the names of the model instances registered on the runtime builder, which
   *     count as defined models
   */
  static void checkAgents(
      Path dir,
      @Nullable RuntimeConfig config,
      Set<String> registered,
      Map<String, AgentSpec> agents,
      Map<String, ManifestFile> files) {
    Set<String> models = new HashSet<>(registered);
    if (config != null) models.addAll(config.modelsOrEmpty().keySet());
    Set<String> profiles = config == null ? Set.of() : config.contextProfilesOrEmpty().keySet();
    for (AgentSpec a : agents.values()) {
      ManifestFile f = files.get(a.name());
      String subject = "agent '" + a.name() + "': ";
      if (config != null && a.model() != null && !models.contains(a.model())) {
        f.problem(
            "/model",
            subject
                + "model '"
                + a.model()
                + "' is not defined in config.yml models"
                + (models.isEmpty()
                    ? " (add a models: section)"
                    : Suggest.didYouMean(a.model(), models).isEmpty()
                        ? " (known: " + String.join(", ", new TreeSet<>(models)) + ")"
                        : Suggest.didYouMean(a.model(), models)));
      }
      if (config != null && a.contextProfile() != null && !profiles.contains(a.contextProfile())) {
        f.problem(
            "/context_profile",
            subject
                + "context profile '"
                + a.contextProfile()
                + "' is not defined in config.yml context_profiles"
                + (profiles.isEmpty()
                    ? " (add a context_profiles: section)"
                    : Suggest.didYouMean(a.contextProfile(), profiles).isEmpty()
                        ? " (known: " + String.join(", ", new TreeSet<>(profiles)) + ")"
                        : Suggest.didYouMean(a.contextProfile(), profiles)));
      }
      if (config != null && a.contextProfile() != null) {
        ContextProfileSpec profile = config.contextProfilesOrEmpty().get(a.contextProfile());
        if (profile != null && profile.memory() != null)
          checkProfileScopes(f, subject, a, profile.memory().scopesOrDefault());
      }
      if (a.system() != null && a.prompt() != null) {
        f.problem(
            "/prompt",
            subject
                + "write the system prompt in prompt: or in the file named by system:, not both");
      }
      if (a.system() != null && !Files.isRegularFile(dir.resolve(a.system()))) {
        f.problem(
            "/system",
            subject
                + "system prompt file '"
                + a.system()
                + "' does not exist (paths are relative to "
                + dir
                + ")");
      }
      if (a.memory() != null) {
        checkScopes(f, subject, "read", a.memory().read());
        checkScopes(f, subject, "write", a.memory().write());
      }
      if (a.output() != null && a.output().schema() != null) {
        f.checkSchema("/output/schema", subject + "output.schema", a.output().schema());
      }
    }
  }

  private static final List<String> SCOPE_NAMES = List.of("task", "project", "global");

  /**
   * The context profile's memory section searches for the agent, so it may search only the scopes
   * the agent may read ({@code memory.read}; task and project when absent).
   */
  private static void checkProfileScopes(
      ManifestFile f, String subject, AgentSpec a, List<String> searched) {
    List<String> readable =
        a.memory() != null && a.memory().read() != null
            ? a.memory().read()
            : List.of("task", "project");
    List<String> denied = new ArrayList<>();
    for (String scope : searched) {
      if (SCOPE_NAMES.contains(scope) && !readable.contains(scope)) denied.add(scope);
    }
    if (denied.isEmpty()) return;
    f.problem(
        "/context_profile",
        subject
            + "context profile '"
            + a.contextProfile()
            + "' searches memory scope"
            + (denied.size() == 1 ? " " : "s ")
            + String.join(", ", denied)
            + ", which the agent may not read (memory.read: "
            + String.join(", ", readable)
            + "): add "
            + (denied.size() == 1 ? "it" : "them")
            + " to the agent's memory.read, or use a profile that searches only those scopes");
  }

  private static void checkScopes(
      ManifestFile f, String subject, String which, @Nullable List<String> scopes) {
    if (scopes == null) return;
    for (int i = 0; i < scopes.size(); i++) {
      String s = scopes.get(i);
      if (s == null || SCOPE_NAMES.contains(s)) continue;
      f.problem(
          "/memory/" + which + "/" + i,
          subject
              + "memory."
              + which
              + ": unknown scope '"
              + s
              + "'"
              + Suggest.didYouMean(s, SCOPE_NAMES)
              + " (scopes: task, project, global)");
    }
  }
}
