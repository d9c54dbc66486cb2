package dev.agentrt.tools.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Child processes: finding executables, scrubbed environments, killing at a deadline. */
public final class Processes {
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "agentrt-tool-watchdog");
    t.setDaemon(true);
    return t;
  });

  private Processes() {}

  /** The executable {@code name} on {@code PATH}, if there is one. */
  public static Optional<Path> onPath(String name, @Nullable String pathVariable) {
    if (pathVariable == null) return Optional.empty();
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** Replaces a process builder's environment by the variables named in {@code keep} that are set. */
  public static void scrubEnvironment(ProcessBuilder pb, List<String> keep, Map<String, String> from) {
    Map<String, String> env = pb.environment();
    env.clear();
    for (String k : keep) {
      String v = from.get(k);
      if (v != null) env.put(k, v);
    }
  }

  /** A scheduled kill; {@link #cancel()} it once the process has ended. */
  public static final class Watch {
    private final java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile @Nullable ScheduledFuture<?> future;

    /** Whether the deadline passed and the process was killed. */
    public boolean fired() {
      return fired.get();
    }

    public void cancel() {
      ScheduledFuture<?> f = future;
      if (f != null) f.cancel(false);
    }
  }

  /** Kills {@code p} and its descendants at {@code deadline}. */
  public static Watch killAt(Process p, Instant deadline, Clock clock) {
    long delay = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
    Watch w = new Watch();
    w.future = WATCHDOG.schedule(() -> {
      w.fired.set(true); // before the kill, so whoever sees the process end also sees this
      kill(p);
    }, delay, TimeUnit.MILLISECONDS);
    return w;
  }

  /** Kills {@code p} and its descendants. */
  public static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
