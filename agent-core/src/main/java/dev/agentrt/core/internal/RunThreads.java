package dev.agentrt.core.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads for parallel branches, split items and asynchronous runs. */
final class RunThreads {
  private RunThreads() {}

  /**
   * Most platform threads the fallback pool starts; beyond it, the forking thread runs the work.
   */
  static final int MAX_PLATFORM_THREADS = 512;

  /**
   * A virtual-thread-per-task executor when the JVM has virtual threads (Java 21+), otherwise a
   * cached pool of daemon platform threads that runs work on the caller when saturated (so nested
   * forks can never deadlock waiting for a pool thread).
   */
  static ExecutorService create() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException | UnsupportedOperationException | LinkageError e) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              0,
              MAX_PLATFORM_THREADS,
              30,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              daemonFactory("agentrt-worker-"),
              new ThreadPoolExecutor.CallerRunsPolicy());
      return pool;
    }
  }

  /** Whether {@link #create()} gives virtual threads on this JVM. */
  static boolean virtualThreadsAvailable() {
    try {
      Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(1, daemonFactory("agentrt-timer-"));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  private static ThreadFactory daemonFactory(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
