package demo;

import static demo.Assertions.assertEquals;

public class TemperatureTest {
  @Test
  public void celsiusToFahrenheit_freezingAndBoiling() {
    assertEquals(32, Temperature.celsiusToFahrenheit(0));
    assertEquals(212, Temperature.celsiusToFahrenheit(100));
  }
}
