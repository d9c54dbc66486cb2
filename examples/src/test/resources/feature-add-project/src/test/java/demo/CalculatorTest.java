package demo;

import static demo.Assertions.assertEquals;

public class CalculatorTest {
  @Test
  public void add_sumsBothNumbers() {
    assertEquals(5, Calculator.add(2, 3));
  }

  @Test
  public void max_returnsTheLarger() {
    assertEquals(5, Calculator.max(3, 5));
    assertEquals(5, Calculator.max(5, 3));
  }
}
