package dev.agentrt.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class NoThreadLeftExtensionTest {

  @Test
  void leftOver_threadStillBlocked_isReportedWithItsStack() throws InterruptedException {
    Set<Thread> before = NoThreadLeftExtension.liveThreads();
    CountDownLatch release = new CountDownLatch(1);
    Thread stuck = new Thread(() -> await(release), "stuck-in-test");
    stuck.start();
    try {
      List<Thread> left = NoThreadLeftExtension.leftOver(before, Duration.ofMillis(50));

      assertThat(left).containsExactly(stuck);
      assertThat(NoThreadLeftExtension.describe("SomeTest", left))
          .contains("started by SomeTest", "\"stuck-in-test\"", "CountDownLatch.await");
    } finally {
      release.countDown();
      stuck.join();
    }
  }

  @Test
  void leftOver_threadEndingWithinTheBound_isJoinedNotReported() throws InterruptedException {
    Set<Thread> before = NoThreadLeftExtension.liveThreads();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread finishing =
        new Thread(
            () -> {
              started.countDown();
              await(release);
            },
            "finishing");
    finishing.start();
    started.await();
    release.countDown();

    assertThat(NoThreadLeftExtension.leftOver(before, Duration.ofSeconds(30))).isEmpty();
    assertThat(finishing.isAlive()).isFalse();
  }

  @Test
  void leftOver_allowedDaemon_isIgnoredButAPoolThreadOrNonDaemonIsNot()
      throws InterruptedException {
    Set<Thread> before = NoThreadLeftExtension.liveThreads();
    CountDownLatch release = new CountDownLatch(1);
    Thread daemon = new Thread(() -> await(release), "HttpClient-7-SelectorManager");
    daemon.setDaemon(true);
    Thread leak = new Thread(() -> await(release), "agentrt-tool-3");
    Thread notDaemon = new Thread(() -> await(release), "HttpClient-8-SelectorManager");
    daemon.start();
    leak.start();
    notDaemon.start();
    try {
      assertThat(NoThreadLeftExtension.leftOver(before, Duration.ofMillis(50)))
          .containsExactlyInAnyOrder(leak, notDaemon);
    } finally {
      release.countDown();
      for (Thread t : List.of(daemon, leak, notDaemon)) t.join();
    }
  }

  @Test
  void mutableClock_advance_movesEveryZoneView() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    java.time.Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofMinutes(5));

    assertThat(paris.instant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
