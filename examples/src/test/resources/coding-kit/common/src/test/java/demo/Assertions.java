package demo;

/** JUnit-style assertions. */
public final class Assertions {
  private Assertions() {}

  public static void assertEquals(int expected, int actual) {
    if (expected != actual) throw new AssertionError("expected: <" + expected + "> but was: <" + actual + ">");
  }
}
