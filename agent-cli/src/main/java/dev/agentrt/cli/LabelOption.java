package dev.agentrt.cli;

/** A {@code --label KEY=VALUE} argument, as {@code run} stores and {@code runs} matches it. */
final class LabelOption {
  private LabelOption() {}

  /**
   * The key and the value of {@code label}.
   *
   * @throws IllegalArgumentException saying what to write, if it has no {@code KEY=}
   */
  static String[] split(String label) {
    int eq = label.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "--label " + label + ": write KEY=VALUE (for example --label tenant=acme)");
    }
    return new String[] {label.substring(0, eq), label.substring(eq + 1)};
  }
}
