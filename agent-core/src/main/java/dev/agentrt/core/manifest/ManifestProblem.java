package dev.agentrt.core.manifest;

import java.util.Objects;

/**
 * One problem found while loading {@code .agent/}.
 *
 * @param file the file, relative to the configuration directory ({@code workflows/a.yml})
 * @param line 1-based line, 0 if the problem concerns the whole file
 * @param column 1-based column, 0 if unknown
 * @param message what is wrong and how to fix it, starting with its subject ({@code edge 'review ->
 *     implemnt': no node 'implemnt' (did you mean 'implement'?)})
 * @since 0.1
 */
public record ManifestProblem(String file, int line, int column, String message) {
  public ManifestProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /**
   * {@code file:line:column: message}, the form compilers use, so editors can jump to it ({@code
   * file:line: message} without a column, {@code file: message} without a line).
   */
  @Override
  public String toString() {
    if (line <= 0) return file + ": " + message;
    if (column <= 0) return file + ":" + line + ": " + message;
    return file + ":" + line + ":" + column + ": " + message;
  }
}
