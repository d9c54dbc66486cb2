package dev.agentrt.testkit.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.StepResult;
import dev.agentrt.testkit.AgentTestRuntime;
import dev.agentrt.testkit.internal.JsonValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Runs eval cases, each run on a fresh {@link AgentTestRuntime} (its own copy of the configuration,
 * in-memory or SQLite store, fixed clock), so runs share no state.
 *
 * <pre>{@code
 * EvalSuite suite = EvalSuite.load(Path.of(".agent"));
 * EvalReport report = EvalRunner.builder(suite.configDir(), tempDir).build().run(suite);
 * System.out.print(report.table());
 * }</pre>
 *
 * @since 0.1
 */
public final class EvalRunner {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}:]+)(?::-([^}]*))?}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path configDir;
  private final Path tempDir;
  private final boolean realModels;
  private final Function<String, @Nullable String> environment;
  private final Consumer<AgentRuntime.Builder> customizer;
  private final JsonNode configModels;

  private EvalRunner(Builder b) {
    this.configDir = b.configDir;
    this.tempDir = b.tempDir;
    this.realModels = b.realModels;
    this.environment = b.environment;
    this.customizer = b.customizer;
    this.configModels = readModels(configDir);
  }

  /**
   * A builder for a runner of the cases of {@code configDir}, making its copies in {@code tempDir}
   * (which the caller creates and deletes).
   */
  public static Builder builder(Path configDir, Path tempDir) {
    return new Builder(configDir, tempDir);
  }

  /** Runs every case of {@code suite}, in order. */
  public EvalReport run(EvalSuite suite) {
    List<EvalResult> results = new ArrayList<>();
    for (EvalCase c : suite.cases()) results.add(run(c));
    return new EvalReport(results);
  }

  /** Runs {@code c} {@link EvalCase#runs()} times and checks each run. */
  public EvalResult run(EvalCase c) {
    int passes = 0;
    long calls = 0;
    long tokens = 0;
    double cost = 0;
    Duration duration = Duration.ZERO;
    List<String> failures = new ArrayList<>();
    for (int i = 1; i <= c.runs(); i++) {
      long start = System.nanoTime();
      List<String> problems = new ArrayList<>();
      try (AgentRuntime rt = runtime(c)) {
        RunResult r = rt.run(c.workflow(), c.input().isNull() ? null : c.input());
        BudgetUsage u = r.usage();
        calls += u.llmCalls();
        tokens += u.totalTokens();
        cost += u.costUsd();
        Checks.check(c.expect(), r, problems);
      } catch (RuntimeException e) {
        problems.add("the run threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      duration = duration.plusNanos(System.nanoTime() - start);
      if (problems.isEmpty()) passes++;
      String prefix = c.runs() > 1 ? "run " + i + ": " : "";
      for (String p : problems) failures.add(prefix + p);
    }
    boolean passed = passes >= c.requiredPasses();
    if (!passed && c.runs() > 1) {
      failures.add(
          0,
          passes
              + " of "
              + c.runs()
              + " runs passed, "
              + c.requiredPasses()
              + " needed (pass_rate "
              + c.passRate()
              + ")");
    }
    return new EvalResult(
        c.name(), c.workflow(), passed, c.runs(), passes, failures, calls, tokens, cost, duration);
  }

  private AgentRuntime runtime(EvalCase c) {
    AgentTestRuntime.Builder b = AgentTestRuntime.builder(configDir, tempDir).store(c.store());
    if (c.workspace() != null) b.workspace(c.workspace());
    c.models()
        .forEach(
            (model, script) -> {
              if (!(realModels && hasKey(configModels.path(model)))) b.script(model, script);
            });
    b.customize(rb -> rb.environment(environment));
    b.customize(customizer);
    return b.build();
  }

  /** {@code config.yml}'s {@code models:}, read once (empty if it cannot be read). */
  private static JsonNode readModels(Path configDir) {
    Path file = configDir.resolve("config.yml");
    try {
      return Files.isRegularFile(file)
          ? YAML.readTree(file.toFile()).path("models")
          : YAML.createObjectNode();
    } catch (IOException e) {
      return YAML.createObjectNode();
    }
  }

  /** Whether a model's {@code api_key} is set: literally, or by a set environment variable. */
  private boolean hasKey(JsonNode model) {
    String key = model.path("api_key").asText("");
    if (key.isBlank()) return false;
    Matcher m = ENV.matcher(key);
    if (m.matches()) {
      String v = environment.apply(m.group(1));
      if (v == null || v.isEmpty()) v = m.group(2);
      return v != null && !v.isBlank();
    }
    return true;
  }

  /** Builds an {@link EvalRunner}. */
  public static final class Builder {
    private final Path configDir;
    private final Path tempDir;
    private boolean realModels;
    private Function<String, @Nullable String> environment = System::getenv;
    private Consumer<AgentRuntime.Builder> customizer = b -> {};

    private Builder(Path configDir, Path tempDir) {
      this.configDir = Objects.requireNonNull(configDir, "configDir");
      this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
    }

    /**
     * Whether models whose {@code config.yml} entry has its API key set call their provider instead
     * of replaying the case's script; default {@code false} (every scripted model replays).
     */
    public Builder realModels(boolean realModels) {
      this.realModels = realModels;
      return this;
    }

    /** Where {@code ${env:NAME}} is looked up; default the process environment. */
    public Builder environment(Function<String, @Nullable String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Changes each run's runtime builder before it builds: register functions, tools. */
    public Builder customize(Consumer<AgentRuntime.Builder> customizer) {
      this.customizer = this.customizer.andThen(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /** The runner. */
    public EvalRunner build() {
      return new EvalRunner(this);
    }
  }

  /** The checks of {@link EvalCase.Expect} on one run. */
  static final class Checks {
    private static final JsonSchemaFactory SCHEMAS =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private Checks() {}

    static void check(EvalCase.Expect e, RunResult r, List<String> problems) {
      if (r.status() != e.status()) {
        problems.add(
            "status: expected "
                + e.status()
                + " but was "
                + r.status()
                + (r.message() == null ? "" : " (" + r.message() + ")"));
      }
      if (e.reason() != null && r.reason() != e.reason()) {
        problems.add("reason: expected " + e.reason() + " but was " + r.reason());
      }
      for (EvalCase.OutputCheck c : e.output()) output(c, r, problems);
      if (e.steps() != null) steps(e, r.steps(), problems);
      BudgetUsage u = r.usage();
      if (e.maxCostUsd() != null && u.costUsd() > e.maxCostUsd()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "max_cost_usd: expected at most %s but the run cost %s",
                e.maxCostUsd(),
                u.costUsd()));
      }
      if (e.maxLlmCalls() != null && u.llmCalls() > e.maxLlmCalls()) {
        problems.add(
            "max_llm_calls: expected at most "
                + e.maxLlmCalls()
                + " but the run made "
                + u.llmCalls());
      }
    }

    private static void output(EvalCase.OutputCheck c, RunResult r, List<String> problems) {
      JsonNode output = r.output();
      String where = "output" + (c.path().isEmpty() ? "" : "." + c.path());
      JsonNode v = r.outputAt(c.path());
      if (v.isMissingNode()) {
        problems.add(
            where + " " + c.kind() + ": no value at this path (output: " + cut(output) + ")");
        return;
      }
      switch (c.kind()) {
        case "equals" -> {
          if (!JsonValues.same(v, c.expected())) {
            problems.add(where + " equals: expected " + c.expected() + " but was " + cut(v));
          }
        }
        case "contains" -> {
          String s = v.isTextual() ? v.asText() : v.toString();
          if (!s.contains(c.expected().asText())) {
            problems.add(
                where
                    + " contains: expected to contain \""
                    + c.expected().asText()
                    + "\" but was "
                    + cut(v));
          }
        }
        case "matches" -> {
          String s = v.isTextual() ? v.asText() : v.toString();
          if (!Pattern.compile(c.expected().asText()).matcher(s).find()) {
            problems.add(
                where
                    + " matches: expected to match /"
                    + c.expected().asText()
                    + "/ but was "
                    + cut(v));
          }
        }
        case "schema_valid" -> {
          JsonSchema schema = SCHEMAS.getSchema(c.expected());
          Set<ValidationMessage> bad = schema.validate(v);
          if (!bad.isEmpty()) {
            problems.add(
                where
                    + " schema_valid: "
                    + String.join(
                        "; ", bad.stream().map(ValidationMessage::getMessage).sorted().toList())
                    + " (value: "
                    + cut(v)
                    + ")");
          }
        }
        default -> throw new IllegalStateException(c.kind());
      }
    }

    private static void steps(EvalCase.Expect e, List<StepResult> steps, List<String> problems) {
      List<String> keys = steps.stream().map(StepResult::key).toList();
      if (e.stepsExact()) {
        if (!keys.equals(e.steps())) {
          problems.add("steps: expected " + e.steps() + " but were " + keys);
        }
        return;
      }
      int i = 0;
      for (String k : keys) if (i < e.steps().size() && k.equals(e.steps().get(i))) i++;
      if (i < e.steps().size()) {
        problems.add(
            "steps include: expected "
                + e.steps()
                + " in this order, missing "
                + e.steps().get(i)
                + " (steps were "
                + keys
                + ")");
      }
    }

    private static String cut(JsonNode v) {
      String s = v.toString();
      return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
  }
}
