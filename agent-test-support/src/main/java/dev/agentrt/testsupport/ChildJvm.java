package dev.agentrt.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A test main in a child JVM on the test class path, its output (stdout and stderr) read line by
 * line on a daemon thread that ends with the child.
 */
public final class ChildJvm {
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
  private final List<String> all = new CopyOnWriteArrayList<>();
  private final CountDownLatch drained = new CountDownLatch(1);

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader = new Thread(this::drain, "child-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The command line running the class {@code main} (with a {@code main} method, on the test class
   * path) with {@code args} in a JVM like this one, with JIT and GC set for a quick start-up.
   */
  public static List<String> command(Class<?> main, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Starts the class {@code main} with {@code args} (see {@link #command}). */
  public static ChildJvm start(Class<?> main, String... args) throws IOException {
    return new ChildJvm(new ProcessBuilder(command(main, args)).redirectErrorStream(true).start());
  }

  private void drain() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        all.add(line);
        pending.add(line);
      }
    } catch (IOException e) {
      all.add("(output unreadable: " + e + ")");
    } finally {
      pending.add(EOF);
      drained.countDown();
    }
  }

  /**
   * Waits for the next line matching {@code wanted}, skipping others; null if the child's output
   * ended first. Fails after {@code seconds}.
   */
  public @Nullable String next(Predicate<String> wanted, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String line = pending.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null)
        throw new AssertionError(
            "no expected line from the child within " + seconds + " s:\n" + output());
      if (line.equals(EOF)) {
        pending.add(EOF);
        return null;
      }
      if (wanted.test(line)) return line;
    }
  }

  /**
   * The next line matching {@code wanted} if one arrives within {@code millis}, skipping others;
   * null if none did or the child's output ended (for waiting on several children in turn).
   */
  public @Nullable String poll(Predicate<String> wanted, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      String line = pending.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) return null;
      if (line.equals(EOF)) {
        pending.add(EOF);
        return null;
      }
      if (wanted.test(line)) return line;
    }
  }

  /** Kills the child with SIGKILL and waits until it is gone and its output is read. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS))
      throw new AssertionError("killed child did not die");
    drained.await(10, TimeUnit.SECONDS);
  }

  /**
   * Waits for the child to exit and returns its exit code; kills it and fails after {@code
   * seconds}.
   */
  public int exit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not finish within " + seconds + " s:\n" + output());
    }
    drained.await(10, TimeUnit.SECONDS);
    return process.exitValue();
  }

  /** The last line starting with {@code prefix}, without it; null if none. */
  public @Nullable String last(String prefix) {
    String found = null;
    for (String l : all) {
      if (l.startsWith(prefix)) found = l.substring(prefix.length());
    }
    return found;
  }

  /** How many lines so far start with {@code prefix}. */
  public long count(String prefix) {
    return all.stream().filter(l -> l.startsWith(prefix)).count();
  }

  /** Everything the child printed so far, one line per line. */
  public String output() {
    return String.join("\n", all);
  }
}
