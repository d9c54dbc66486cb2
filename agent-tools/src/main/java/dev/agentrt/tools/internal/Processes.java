package dev.agentrt.tools.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child processes: finding executables, scrubbed environments, starting a command in a session of
 * its own, and killing a command with every process it started.
 */
public final class Processes {
  private static final Logger log = LoggerFactory.getLogger(Processes.class);

  /**
   * {@code setsid} (util-linux), which runs a command as the leader of a new session and process
   * group.
   */
  private static final Optional<Path> SETSID = Processes.onPath("setsid", System.getenv("PATH"));

  private static final Optional<Path> KILL = Processes.onPath("kill", System.getenv("PATH"));
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
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

  /**
   * Replaces a process builder's environment by the variables named in {@code keep} that are set.
   */
  public static void scrubEnvironment(
      ProcessBuilder pb, List<String> keep, Map<String, String> from) {
    Map<String, String> env = pb.environment();
    env.clear();
    for (String k : keep) {
      String v = from.get(k);
      if (v != null) env.put(k, v);
    }
  }

  /**
   * The command to start so that it leads a new session and process group (its pid is its group
   * id), through {@code setsid} where there is one: then everything it starts, including the
   * orphans of children that exit, can be killed as a group. Unchanged where there is no {@code
   * setsid}.
   */
  public static List<String> inOwnSession(List<String> command) {
    if (SETSID.isEmpty()) return command;
    List<String> l = new ArrayList<>(command.size() + 1);
    l.add(SETSID.get().toString());
    l.addAll(command);
    return l;
  }

  /**
   * The executable a command's first word names: a path with {@code /} against {@code dir}, a bare
   * name on {@code pathVariable}; empty if there is none.
   */
  public static Optional<Path> executable(String name, Path dir, @Nullable String pathVariable) {
    if (name.contains("/")) {
      Path p = dir.resolve(name);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    return onPath(name, pathVariable);
  }

  /** A scheduled kill; {@link #cancel()} it once the process has ended. */
  public static final class Watch {
    private final java.util.concurrent.atomic.AtomicBoolean fired =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final CountDownLatch killed = new CountDownLatch(1);
    private volatile @Nullable ScheduledFuture<?> future;

    /** Whether the deadline passed and the process was killed. */
    public boolean fired() {
      return fired.get();
    }

    /** Waits, at most {@code max}, until a kill that {@link #fired()} has finished sweeping. */
    public void awaitKilled(Duration max) throws InterruptedException {
      if (fired() && !max.isNegative()) killed.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void cancel() {
      ScheduledFuture<?> f = future;
      if (f != null) f.cancel(false);
    }
  }

  /** Kills {@code p} and its descendants at {@code deadline}. */
  public static Watch killAt(Process p, Instant deadline, Clock clock) {
    return killAt(p, deadline, clock, null);
  }

  /**
   * Kills {@code p} and every process it started ({@link #kill(Process, String)}) at {@code
   * deadline}.
   */
  public static Watch killAt(Process p, Instant deadline, Clock clock, @Nullable String marker) {
    long delay = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
    Watch w = new Watch();
    w.future =
        WATCHDOG.schedule(
            () -> {
              w.fired.set(true); // before the kill, so whoever sees the process end also sees this
              try {
                kill(p, marker);
              } finally {
                w.killed.countDown();
              }
            },
            delay,
            TimeUnit.MILLISECONDS);
    return w;
  }

  /** How long {@link #kill} waits for the processes it killed to be gone. */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  /**
   * Kills {@code p} and every process it started, then waits (at most {@link #KILL_WAIT}) until
   * they are gone: the descendants are collected first (a snapshot taken before anything is
   * destroyed: a killed parent's children are re-parented and no longer descendants); then, if
   * {@code p} leads its own process group ({@link #inOwnSession}), the whole group is killed, which
   * also takes the orphans that stayed in it; then every process collected is killed (a process
   * that called {@code setsid} has left the group but is still a descendant); then the search is
   * repeated, to take what those started meanwhile, until it finds nothing new.
   */
  public static void kill(Process p) {
    kill(p, null);
  }

  /**
   * The environment variable whose value marks the processes of one command ({@link #kill(Process,
   * String)}).
   */
  public static final String MARKER_VARIABLE = "AGENTRT_PROCESS_TREE";

  /**
   * Kills {@code p} and every process it started, like {@link #kill(Process)}; with a {@code
   * marker}, the value of {@link #MARKER_VARIABLE} in the command's environment, the search also
   * takes every process whose environment still holds it (Linux {@code /proc/<pid>/environ}):
   * processes inherit their environment, so this finds a daemon that left the group and lost its
   * parent (double fork and {@code setsid}).
   */
  public static void kill(Process p, @Nullable String marker) {
    long pid = p.pid();
    boolean group = leadsGroup(pid);
    byte[] mark =
        marker == null
            ? null
            : (MARKER_VARIABLE + "=" + marker + "\0").getBytes(StandardCharsets.UTF_8);
    Map<Long, ProcessHandle> all = new LinkedHashMap<>();
    List<ProcessHandle> fresh =
        find(p, null, all); // before anything dies and its children are re-parented
    p.destroyForcibly(); // first, so that whoever waits for the command is released at once
    if (group) signal("KILL", List.of("-" + pid));
    fresh.addAll(find(p, mark, all));
    for (int round = 0; round < 16 && !fresh.isEmpty(); round++) {
      fresh.forEach(ProcessHandle::destroyForcibly);
      List<ProcessHandle> more = new ArrayList<>();
      for (ProcessHandle h : fresh) {
        h.descendants()
            .forEach(
                d -> {
                  if (all.putIfAbsent(d.pid(), d) == null) more.add(d);
                });
      }
      more.addAll(find(p, mark, all));
      fresh = more;
    }
    List<ProcessHandle> left = new ArrayList<>(all.values());
    left.add(p.toHandle());
    long until = System.nanoTime() + KILL_WAIT.toNanos();
    try {
      while (true) {
        // a killed orphan may stay a zombie when nothing reaps it: isAlive() counts it as gone,
        // onExit() would not
        left.removeIf(h -> !h.isAlive());
        if (left.isEmpty()) return;
        long wait = until - System.nanoTime();
        if (wait <= 0) break;
        try {
          CompletableFuture.anyOf(
                  left.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new))
              .get(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // look again
        }
      }
      log.warn(
          "processes of command {} still running {} after they were killed: {}",
          pid,
          KILL_WAIT,
          left.stream().map(ProcessHandle::pid).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The descendants of {@code p}, and the processes marked with {@code mark}, that are not in
   * {@code seen} yet (added).
   */
  private static List<ProcessHandle> find(
      Process p, byte @Nullable [] mark, Map<Long, ProcessHandle> seen) {
    List<ProcessHandle> fresh = new ArrayList<>();
    p.descendants()
        .forEach(
            h -> {
              if (seen.putIfAbsent(h.pid(), h) == null) fresh.add(h);
            });
    if (mark != null) {
      ProcessHandle.allProcesses()
          .forEach(
              h -> {
                if (h.pid() != p.pid()
                    && !seen.containsKey(h.pid())
                    && marked(h.pid(), mark)
                    && seen.putIfAbsent(h.pid(), h) == null) {
                  fresh.add(h);
                }
              });
    }
    return fresh;
  }

  /** Whether the environment of process {@code pid} holds {@code mark} ({@code NAME=value\0}). */
  private static boolean marked(long pid, byte[] mark) {
    byte[] env;
    try {
      env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
    outer:
    for (int i = 0; i + mark.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) continue; // a variable starts after a NUL
      for (int j = 0; j < mark.length; j++) {
        if (env[i + j] != mark[j]) continue outer;
      }
      return true;
    }
    return false;
  }

  /**
   * Whether process {@code pid} is the leader of its process group (Linux {@code /proc}; false
   * elsewhere).
   */
  static boolean leadsGroup(long pid) {
    try {
      String stat =
          Files.readString(
              Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
      String[] f =
          stat.substring(stat.lastIndexOf(')') + 2)
              .split(" "); // after "pid (comm) ": state ppid pgrp ...
      return Long.parseLong(f[2]) == pid;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Sends a signal with {@code kill}; {@code targets} are pids, or {@code -pgid} for a group.
   * Failures are ignored.
   */
  private static void signal(String signal, List<String> targets) {
    if (KILL.isEmpty() || targets.isEmpty()) return;
    List<String> cmd = new ArrayList<>(List.of(KILL.get().toString(), "-s", signal, "--"));
    cmd.addAll(targets);
    try {
      Process k =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!k.waitFor(5, TimeUnit.SECONDS)) k.destroyForcibly();
    } catch (IOException e) {
      log.debug("could not send SIG{} to {}", signal, targets, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
