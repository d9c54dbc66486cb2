package dev.agentrt.testkit.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunStatus;
import dev.agentrt.testkit.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One eval case, as loaded and checked by {@link EvalSuite#load(Path)}: a workflow run on an input,
 * with scripted models, and what its result must be.
 *
 * @param name the case's name: the file's stem, or its {@code name:} under {@code cases:}
 * @param file the file the case comes from
 * @param description what the case checks, or {@code null}
 * @param workflow the workflow id to run
 * @param input the run's input ({@code null} JSON if none)
 * @param models model key to script path (relative to the configuration directory)
 * @param workspace the directory copied as the file tools' workspace, or {@code null}
 * @param store where the runs are kept
 * @param runs how many times the case runs
 * @param passRate the fraction of runs that must pass, in (0, 1]
 * @param expect what each run must satisfy
 * @since 0.1
 */
public record EvalCase(
    String name,
    Path file,
    @Nullable String description,
    String workflow,
    JsonNode input,
    Map<String, String> models,
    @Nullable Path workspace,
    TestStore store,
    int runs,
    double passRate,
    Expect expect) {

  public EvalCase {
    models = Map.copyOf(models);
  }

  /** How many of {@link #runs()} must pass: {@code ceil(runs * passRate)}. */
  public int requiredPasses() {
    return (int) Math.ceil(runs * passRate - 1e-9);
  }

  /**
   * What a run must satisfy.
   *
   * @param status the run's status
   * @param reason the run's failure reason, or {@code null} not to check it
   * @param output checks at paths of the run's output
   * @param steps the step keys expected, or {@code null} not to check them
   * @param stepsExact whether {@code steps} are all the keys (otherwise a subsequence)
   * @param maxCostUsd the most the run may cost, or {@code null}
   * @param maxLlmCalls the most LLM calls the run may make, or {@code null}
   */
  public record Expect(
      RunStatus status,
      @Nullable FailureReason reason,
      List<OutputCheck> output,
      @Nullable List<String> steps,
      boolean stepsExact,
      @Nullable Double maxCostUsd,
      @Nullable Long maxLlmCalls) {
    public Expect {
      output = List.copyOf(output);
      steps = steps == null ? null : List.copyOf(steps);
    }
  }

  /**
   * One check at a dot-path of the output.
   *
   * @param path the dot-path, as in templates ({@code a.b.0.c}; {@code ""} for the whole output)
   * @param kind which check: {@code equals}, {@code contains}, {@code matches} or {@code
   *     schema_valid}
   * @param expected the check's argument: a value, a substring, a regex or a JSON Schema
   */
  public record OutputCheck(String path, String kind, JsonNode expected) {}
}
