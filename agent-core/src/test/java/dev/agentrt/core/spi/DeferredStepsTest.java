package dev.agentrt.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Held steps go with the next write, in order, once; a write carrying some runs alone. */
class DeferredStepsTest {
  final DeferredSteps<String> deferred = new DeferredSteps<>();

  /** What a write that does nothing else carries. */
  private List<String> carried() {
    return deferred.<List<String>>write(held -> held);
  }

  @Test
  void write_carriesTheHeldStepsInOrder_once() {
    assertThat(carried()).isEmpty();
    deferred.add("start#0");
    deferred.add("x#0");

    assertThat(carried()).containsExactly("start#0", "x#0");
    assertThat(carried()).isEmpty();
  }

  @Test
  void write_thatThrows_losesTheStepsItCarried() {
    deferred.add("start#0");

    assertThatThrownBy(
            () ->
                deferred.write(
                    held -> {
                      throw new IllegalStateException("lease lost");
                    }))
        .hasMessage("lease lost");
    assertThat(carried()).isEmpty();
  }

  @Test
  void write_carryingSteps_waitsForAWriteUnderWay_andNoneOvertakesIt() throws Exception {
    List<String> committed = new CopyOnWriteArrayList<>();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread first =
        new Thread(
            () ->
                deferred.write(
                    held -> {
                      inside.countDown();
                      await(finish);
                      committed.add("first " + held);
                      return null;
                    }));
    first.start();
    inside.await();
    deferred.add("done#0"); // appended while the first write is under way
    Thread carrying = new Thread(() -> deferred.write(held -> committed.add("carrying " + held)));
    carrying.start();
    while (carrying.getState() != Thread.State.WAITING) Thread.onSpinWait();

    assertThat(committed).as("the carrying write waits for the one under way").isEmpty();
    finish.countDown();
    first.join();
    carrying.join();
    assertThat(committed).containsExactly("first []", "carrying [done#0]");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
