package dev.agentrt.core.manifest;

import dev.agentrt.core.AgentrtException;
import java.util.List;

/**
 * The {@code .agent/} directory has problems; {@link #problems()} lists all of them, each with
 * file, line and column. The message is the list, one problem a line, ready to show a person.
 *
 * @since 0.1
 */
public class ManifestException extends AgentrtException {
  private final List<ManifestProblem> problems;

  public ManifestException(List<ManifestProblem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. */
  public List<ManifestProblem> problems() {
    return problems;
  }

  private static String format(List<ManifestProblem> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        .append(" in the agent configuration:");
    for (ManifestProblem p : problems) sb.append('\n').append(p);
    return sb.toString();
  }
}
