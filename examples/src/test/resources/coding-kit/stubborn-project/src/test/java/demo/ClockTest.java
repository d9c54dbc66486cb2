package demo;

import static demo.Assertions.assertEquals;

public class ClockTest {
  @Test
  public void after_wrapsAroundTwelve() {
    assertEquals(12, Clock.after(11, 1));
    assertEquals(3, Clock.after(11, 4));
  }
}
