package demo;

/** Wall-clock arithmetic on a 12-hour dial. */
public final class Clock {
  private Clock() {}

  /** The hour shown {@code hours} after {@code start} (1 to 12). */
  public static int after(int start, int hours) {
    return (start + hours) % 12;
  }
}
