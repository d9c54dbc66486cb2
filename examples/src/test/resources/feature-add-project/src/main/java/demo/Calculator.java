package demo;

/** A small calculator. */
public final class Calculator {
  private Calculator() {}

  /** The sum of a and b. */
  public static int add(int a, int b) {
    return a + b;
  }

  /** The larger of a and b. */
  public static int max(int a, int b) {
    return a < b ? a : b;
  }
}
