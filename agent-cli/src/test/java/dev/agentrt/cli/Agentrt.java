package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Runs the shaded {@code agentrt.jar} as a child process, as a user would ({@link #run}), or the
 * same command line in this JVM ({@link #execute}) where the process is not what a test is about.
 */
final class Agentrt {
  private static final long TIMEOUT_SECONDS = 120;

  /**
   * A duration as the CLI prints it ({@code 3.4 ms}, {@code 27 ms}, {@code 12.0 s}), whatever its
   * magnitude: a step of a child process takes as long as the machine's load makes it, so the ITs
   * assert only that a duration is there; {@code RunReportTest} checks the format on fixed
   * durations.
   */
  static final String DURATION = "\\d+(?:\\.\\d+)? [a-z]+";

  /** What a finished child process left behind. */
  record Result(int exitCode, String stdout, String stderr) {}

  private Agentrt() {}

  static Path jar() {
    String jar = System.getProperty("agentrt.jar");
    assertThat(jar)
        .as("system property agentrt.jar (set by failsafe in agent-cli/pom.xml)")
        .isNotNull();
    Path path = Path.of(jar);
    assertThat(path)
        .as("the shaded jar; run 'mvn verify', which packages it first")
        .isRegularFile();
    return path;
  }

  /**
   * Runs {@code java -jar agentrt.jar args...} in {@code target/agentrt-cwd} of the module:
   * whatever the command writes relative to its working directory (a {@code sqlite} memory scope's
   * default {@code var/agentrt/memory.db}, for one) lands under {@code target/}, never in the
   * source tree.
   */
  static Result run(String... args) {
    return runIn(workDir(), args);
  }

  /**
   * The working directory of {@link #run} and {@link #start}, created if missing: the system
   * property {@code agentrt.cwd} (one per failsafe fork, set in agent-cli/pom.xml), else {@code
   * target/agentrt-cwd}.
   */
  static Path workDir() {
    try {
      return Files.createDirectories(
          Path.of(System.getProperty("agentrt.cwd", "target/agentrt-cwd")).toAbsolutePath());
    } catch (IOException e) {
      throw new AssertionError("cannot create target/agentrt-cwd", e);
    }
  }

  /**
   * Runs {@code java -jar agentrt.jar args...} in {@code workDir}; stdout and stderr go to files,
   * so no pipe can fill.
   */
  static Result runIn(Path workDir, String... args) {
    return runIn(workDir, java.util.Map.of(), args);
  }

  /** {@link #runIn(Path, String...)} with {@code env} added to the child's environment. */
  static Result runIn(Path workDir, java.util.Map<String, String> env, String... args) {
    try {
      Path out = Files.createTempFile("agentrt-out", ".txt");
      Path err = Files.createTempFile("agentrt-err", ".txt");
      try {
        List<String> command = command(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p =
            pb.directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(
              "agentrt "
                  + String.join(" ", args)
                  + " did not finish within "
                  + TIMEOUT_SECONDS
                  + " s; stderr so far:\n"
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run agentrt " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running agentrt", e);
    }
  }

  /**
   * Runs {@code agentrt args...} in this JVM, as {@link Main#main} does but without exiting: for
   * tests of what a command does, where the process around it is not under test (a child JVM costs
   * a second or more). What the command prints, and what it logs to stderr, is captured while it
   * runs; its stdin is empty, as for {@link #run}. Relative paths resolve against this JVM's
   * working directory, not {@link #workDir}: pass {@code --config} and a store path.
   */
  static synchronized Result execute(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    InputStream stdin = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exitCode;
    try {
      System.setOut(outStream);
      System.setErr(errStream);
      System.setIn(new ByteArrayInputStream(new byte[0]));
      CommandLine cl = Main.newCommandLine();
      cl.setOut(new PrintWriter(new OutputStreamWriter(outStream, StandardCharsets.UTF_8), true));
      cl.setErr(new PrintWriter(new OutputStreamWriter(errStream, StandardCharsets.UTF_8), true));
      exitCode = Main.execute(cl, args);
      cl.getOut().flush();
      cl.getErr().flush();
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
      System.setIn(stdin);
    }
    return new Result(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code java -jar agentrt.jar args...} in {@link #workDir} and returns at once; its
   * output is discarded.
   */
  static Process start(String... args) {
    try {
      return new ProcessBuilder(command(args))
          .directory(workDir().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start agentrt " + String.join(" ", args), e);
    }
  }

  /**
   * Starts {@code java -jar agentrt.jar args...} in {@link #workDir} and returns at once, with its
   * stdout to read (stderr into stdout).
   */
  static Process startReading(String... args) {
    try {
      return new ProcessBuilder(command(args))
          .directory(workDir().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start agentrt " + String.join(" ", args), e);
    }
  }

  /**
   * {@code java -jar agentrt.jar args...} with the JVM options of the {@code agentrt} launcher
   * script (src/main/sh/agentrt): the class-data-sharing archive built beside the jar, C1 only, the
   * serial collector. A child process starts in about half the time, which is most of an IT's.
   */
  private static List<String> command(String... args) {
    Path jar = jar();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path cds = jar.resolveSibling("agentrt.jsa");
    if (Files.isRegularFile(cds)) {
      command.addAll(
          List.of(
              "-XX:SharedArchiveFile=" + cds,
              "-Xshare:auto",
              "-Xlog:cds=off",
              "-Xlog:cds+dynamic=off"));
    }
    // the embedding model's native libraries are extracted under target/, not ~/.djl.ai or /tmp
    Path scratch = jar.resolveSibling("agentrt-native");
    try {
      Files.createDirectories(scratch.resolve("tmp"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    command.add("-Djava.io.tmpdir=" + scratch.resolve("tmp"));
    command.add("-DDJL_CACHE_DIR=" + scratch.resolve("djl"));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
