package dev.agentrt.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a thread behind: after all its tests (and its {@code @AfterAll}
 * methods), every thread started while it ran must have ended. Threads still alive are joined, all
 * within one bound ({@link #JOIN_BOUND}), so a thread that is finishing is waited for
 * deterministically instead of slept on; those alive after it fail the class, named with their
 * stacks. Threads of the JVM and the JDK, and the known leaks of production code, are ignored as
 * {@link ThreadAllowList} says.
 *
 * <p>Registered for every module's tests by JUnit's extension auto-detection (this jar's {@code
 * META-INF/services}, with {@code junit.jupiter.extensions.autodetection.enabled=true} set by the
 * root pom for surefire and failsafe).
 */
public final class NoThreadLeftExtension implements BeforeAllCallback, AfterAllCallback {
  /** How long, in all, the threads a class left are waited for before it fails. */
  static final Duration JOIN_BOUND = Duration.ofSeconds(10);

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NoThreadLeftExtension.class);

  /** Instantiated by JUnit. */
  public NoThreadLeftExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put(context.getUniqueId(), liveThreads());
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Set<Thread> before =
        (Set<Thread>) context.getStore(NS).remove(context.getUniqueId(), Set.class);
    if (before == null) return;
    List<Thread> left = leftOver(before, JOIN_BOUND);
    if (!left.isEmpty()) throw new AssertionError(describe(context.getDisplayName(), left));
  }

  /** Every live thread now. */
  static Set<Thread> liveThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /**
   * The threads alive now that were not in {@code before} and are not allowed to outlive a test,
   * after joining them within {@code bound} in all.
   */
  static List<Thread> leftOver(Set<Thread> before, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    List<Thread> left = new ArrayList<>();
    for (Thread t : liveThreads()) {
      if (before.contains(t) || t == Thread.currentThread() || ThreadAllowList.ignored(t)) continue;
      long remaining = deadline - System.nanoTime();
      if (remaining > 0) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
      if (t.isAlive()) left.add(t);
    }
    return left;
  }

  /** The failure message: each thread's name, state and stack. */
  static String describe(String testClass, List<Thread> left) {
    StringBuilder sb =
        new StringBuilder()
            .append(left.size())
            .append(" thread(s) started by ")
            .append(testClass)
            .append(" still alive ")
            .append(JOIN_BOUND.toSeconds())
            .append(
                " s after it ended (close what the test "
                    + "opened; see ThreadAllowList for what may outlive a test):");
    for (Thread t : left) {
      sb.append("\n  \"")
          .append(t.getName())
          .append("\" ")
          .append(t.isDaemon() ? "daemon " : "")
          .append(t.getState());
      for (StackTraceElement e : t.getStackTrace()) sb.append("\n      at ").append(e);
    }
    return sb.toString();
  }
}
