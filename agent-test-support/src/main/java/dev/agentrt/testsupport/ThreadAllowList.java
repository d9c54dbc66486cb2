package dev.agentrt.testsupport;

import java.util.List;

/**
 * The threads {@link NoThreadLeftExtension} lets outlive a test class, and why. Everything else a
 * test starts must have ended when the class ends.
 */
final class ThreadAllowList {
  /**
   * Daemon threads the JVM, the JDK or a library start once (or keep idle for reuse) and own for
   * the rest of the process; a test cannot stop them and they do not belong to it.
   */
  private static final List<String> PROCESS_DAEMONS =
      List.of(
          "ForkJoinPool.commonPool-worker-", // the common pool: CompletableFuture.*Async, parallel
          // streams
          "HttpClient-", // java.net.http selector manager and workers, ending when the client is
          // collected
          "Attach Listener", // jcmd / jstack attached to the test JVM
          "process reaper", // java.lang.Process exit watcher, kept idle by the JDK
          "Common-Cleaner",
          "Keep-Alive-", // HttpURLConnection keep-alive timer and socket cleaner
          "surefire-forkedjvm-", // surefire's own ping and command readers
          "OkHttp TaskRunner", // OkHttp's shared task runner (the OTLP exporter's HTTP sender),
          // idle ones end after 60 s
          "Okio Watchdog", // Okio's shared timeout watchdog, ends when idle
          "agentrt-tool-watchdog", // Processes' process-wide timer for tool commands (a static, by
          // design)
          "JNA Cleaner", // JNA's process-wide reference cleaner (ONNX Runtime of agent-embeddings)
          "CompletableFutureDelayScheduler", // the JDK's static timer of
          // CompletableFuture.orTimeout
          // and delayedExecutor (Selenium's HTTP client)
          "UrlChecker-", // Selenium's static pool that waits for a driver to be up; idle ones end
          // after 60 s
          "boundedElastic-", // Reactor's shared Schedulers.boundedElastic() and its evictor (the
          // MCP SDK's clients): process-wide, only Schedulers.shutdownNow() ends them
          "parallel-", // Reactor's shared Schedulers.parallel() (MCP SDK timeouts), as above
          "JGit-WorkQueue" // JGit's static scheduled pool (agent-code-tools' git tools): one
          // process-wide daemon, never shut down by JGit
          );

  /** Threads of the test framework itself, daemon or not. */
  private static final List<String> TEST_FRAMEWORK =
      List.of(
          "junit-jupiter-timeout-watcher" // JUnit's @Timeout watchdog, kept for the whole run
          );

  /**
   * Known leaks of production code, tolerated here until they are removed. Empty: the runtime owns
   * and closes its ToolBus and executors, so a thread left behind is a bug to fix, not to list.
   */
  private static final List<String> KNOWN_LEAKS = List.of();

  private ThreadAllowList() {}

  /** Whether {@code t} may outlive the test class that started it. */
  static boolean ignored(Thread t) {
    ThreadGroup g = t.getThreadGroup();
    if (g != null && "system".equals(g.getName()))
      return true; // JVM-internal (Reference Handler, Signal Dispatcher...)
    if (startsWithAny(t.getName(), TEST_FRAMEWORK) || startsWithAny(t.getName(), KNOWN_LEAKS))
      return true;
    return t.isDaemon() && startsWithAny(t.getName(), PROCESS_DAEMONS);
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) return true;
    }
    return false;
  }
}
