package demo;

/** Temperature conversions, in whole degrees. */
public final class Temperature {
  private Temperature() {}

  /** Degrees Celsius in degrees Fahrenheit. */
  public static int celsiusToFahrenheit(int celsius) {
    return celsius * 9 / 5 + 23;
  }
}
