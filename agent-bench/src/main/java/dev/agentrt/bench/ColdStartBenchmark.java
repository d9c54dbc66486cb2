package dev.agentrt.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold start: wall time of a child {@code java -cp benchmarks.jar dev.agentrt.bench.ColdStartMain
 * DIR} process, from launch to exit, where DIR is a {@code .agent/} with 20 workflows.
 *
 * <p>{@code jvm}: {@code default} (JDK default CDS archive only); {@code appcds} (an AppCDS archive
 * dumped in setup with {@code -XX:ArchiveClassesAtExit}, then used with {@code
 * -XX:SharedArchiveFile}); {@code appcds-c1} (the same plus {@code -XX:TieredStopAtLevel=1
 * -XX:+UseSerialGC}, the usual flags of a short-lived CLI).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
public class ColdStartBenchmark {
  static final int WORKFLOWS = 20;

  @Param({"default", "appcds", "appcds-c1"})
  String jvm;

  private Path dir;
  private List<String> command;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    dir = Workflows.newConfigDir();
    writeAgentDir(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = benchmarksJar();
    List<String> opts = new ArrayList<>();
    if (!jvm.equals("default")) {
      Path jsa = dir.resolve("app.jsa");
      // The dump run must use the same class path as the runs that use the archive.
      launch(
          List.of(
              java,
              "-XX:ArchiveClassesAtExit=" + jsa,
              "-Xlog:cds=off",
              "-Xlog:cds+dynamic=off",
              "-cp",
              jar,
              ColdStartMain.class.getName(),
              dir.toString()));
      if (!Files.isRegularFile(jsa))
        throw new IllegalStateException("no CDS archive was written at " + jsa);
      opts.add("-XX:SharedArchiveFile=" + jsa);
      if (jvm.equals("appcds-c1")) {
        opts.add("-XX:TieredStopAtLevel=1");
        opts.add("-XX:+UseSerialGC");
      }
    }
    command = new ArrayList<>();
    command.add(java);
    command.addAll(opts);
    command.addAll(List.of("-cp", jar, ColdStartMain.class.getName(), dir.toString()));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Workflows.deleteRecursively(dir);
  }

  @Benchmark
  public int coldStart() throws IOException, InterruptedException {
    return launch(command);
  }

  /**
   * Runs {@code cmd} to completion. Its output (the probe's line, SLF4J and Hibernate Validator
   * start-up notes) goes to a file so that it does not interleave with JMH's report; it is shown
   * only if the process fails.
   */
  private int launch(List<String> cmd) throws IOException, InterruptedException {
    Path out = dir.resolve("child.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(
          "exit code " + rc + " from " + String.join(" ", cmd) + ":\n" + Files.readString(out));
    }
    return rc;
  }

  /** The jar this class was loaded from: benchmarks.jar when run through JMH. */
  private static String benchmarksJar() {
    try {
      Path p =
          Path.of(
              ColdStartBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(p)) {
        // Running from classes (IDE): fall back to the whole class path.
        return System.getProperty("java.class.path");
      }
      return p.toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * 20 workflows; {@code wf01} starts with the function {@code mark} the probe times, the others
   * mix transform and function nodes so that loading checks templates, functions and graphs.
   */
  static void writeAgentDir(Path dir) {
    for (int w = 1; w <= WORKFLOWS; w++) {
      String id = String.format("wf%02d", w);
      StringBuilder y = new StringBuilder();
      y.append("id: ").append(id).append('\n');
      y.append("description: Cold start workflow ")
          .append(w)
          .append(" of ")
          .append(WORKFLOWS)
          .append(".\n");
      y.append("input:\n  schema: {type: object, properties: {name: {type: string}}}\n");
      y.append("nodes:\n  - {id: start, role: start}\n");
      y.append("  - {id: first, kind: function, function: mark}\n");
      y.append("  - {id: fan, role: branch}\n");
      y.append(
              "  - id: greet\n    kind: transform\n    template: {greeting: \"Hello, {{input.name}}!\", n: ")
          .append(w)
          .append("}\n");
      y.append("  - id: label\n    kind: transform\n    template: [\"wf-")
          .append(w)
          .append("\", \"{{first}}\"]\n");
      y.append("  - {id: joined, role: merge}\n");
      y.append(
          "  - id: shape\n    kind: transform\n    template: {summary: \"{{joined.greet.greeting}}\", labels: \"{{joined.label}}\"}\n");
      y.append("  - {id: done, role: exit, output: \"{{shape}}\"}\n");
      y.append("edges:\n");
      y.append("  - {from: start, to: first}\n  - {from: first, to: fan}\n");
      y.append("  - {from: fan, to: greet}\n  - {from: fan, to: label}\n");
      y.append("  - {from: greet, to: joined}\n  - {from: label, to: joined}\n");
      y.append("  - {from: joined, to: shape}\n  - {from: shape, to: done}\n");
      Workflows.write(dir, id, y.toString());
    }
  }

  /**
   * Writes the cold start directory: {@code ColdStartBenchmark DIR}, for running ColdStartMain by
   * hand.
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println(
          "usage: ColdStartBenchmark DIR   (writes DIR/config.yml and DIR/workflows/*.yml)");
      System.exit(2);
    }
    Path d = Path.of(args[0]);
    try {
      Files.createDirectories(d.resolve("workflows"));
      Files.writeString(d.resolve("config.yml"), "checkpoint: {store: none}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeAgentDir(d);
    System.out.println(
        "wrote "
            + WORKFLOWS
            + " workflows to "
            + d.toAbsolutePath()
            + File.separator
            + "workflows");
  }
}
