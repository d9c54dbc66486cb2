package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CalculatorTest {
  @Test
  void add() {
    assertEquals(4, new Calculator().add(2, 2));
  }

  @Test
  void divide() {
    assertEquals(2, new Calculator().divide(4, 2));
  }
}
