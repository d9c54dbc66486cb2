package dev.agentrt.testkit.eval;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Objects;

/**
 * The eval cases of a configuration directory: every {@code evals/*.yml} file directly under it
 * (subdirectories are not read). Each file holds one case, named after the file's stem, or several
 * under {@code cases:}, each with a {@code name:}; names are unique across files.
 *
 * <pre>{@code
 * # .agent/evals/bug-fix.yml
 * description: a bug fix becomes a Fixed entry
 * workflow: release-notes
 * input: {title: Faster startup, kind: bug}
 * models: {engineer: scripts/feature-add-engineer.yml}  # model key -> script, relative to the directory
 * workspace: ../examples/project     # copied as the file tools' workspace (relative to the directory)
 * store: memory                      # or sqlite
 * runs: 5                            # default 1
 * pass_rate: 0.8                     # default 1.0: the fraction of runs that must pass
 * expect:
 *   status: COMPLETED                # default COMPLETED
 *   reason: BUDGET_EXCEEDED          # a FailureReason, optional
 *   output:                          # checks at dot-paths of the output ("" = all of it)
 *     - {path: heading, equals: "### Fixed"}   # any YAML value, compared as JSON
 *     - {path: body, contains: lazy validator}
 *     - {path: body, matches: "^- .*"}         # a Java regex, found anywhere
 *     - {path: "", schema_valid: {type: object, required: [heading]}}
 *   steps: [start#0, classify#0, done#0]       # every step key, in order
 *   # or steps: {include: [classify#0, done#0]} (these in this order, others between)
 *   max_cost_usd: 0.01
 *   max_llm_calls: 4
 * }</pre>
 *
 * <p>{@link #load(Path)} checks everything before anything runs and reports every problem with its
 * {@code file:line:col}.
 *
 * @since 0.1
 */
public final class EvalSuite {
  private final Path configDir;
  private final List<EvalCase> cases;

  private EvalSuite(Path configDir, List<EvalCase> cases) {
    this.configDir = configDir;
    this.cases = List.copyOf(cases);
  }

  /**
   * Loads and checks the eval cases of a configuration directory: their keys and values, and that
   * the workflows ({@code workflows/*.yml} ids), models ({@code config.yml} keys) and scripts they
   * name exist. The configuration itself is checked when a case runs (it may need functions
   * registered by {@link EvalRunner.Builder#customize}).
   *
   * @throws EvalException listing every problem of the eval files
   */
  public static EvalSuite load(Path configDir) {
    Objects.requireNonNull(configDir, "configDir");
    return new EvalSuite(configDir, new EvalLoader(configDir).load());
  }

  /** The configuration directory the cases run on. */
  public Path configDir() {
    return configDir;
  }

  /** The cases, sorted by file, then in file order. */
  public List<EvalCase> cases() {
    return cases;
  }

  /**
   * The cases whose name contains {@code filter}, or, if it has {@code *} or {@code ?}, matches it
   * as a glob ({@code release-*}).
   */
  public EvalSuite filter(String filter) {
    Objects.requireNonNull(filter, "filter");
    if (filter.contains("*") || filter.contains("?")) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + filter);
      return new EvalSuite(
          configDir, cases.stream().filter(c -> m.matches(Path.of(c.name()))).toList());
    }
    return new EvalSuite(configDir, cases.stream().filter(c -> c.name().contains(filter)).toList());
  }
}
