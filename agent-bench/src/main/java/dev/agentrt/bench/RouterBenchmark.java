package dev.agentrt.bench;

import dev.agentrt.embeddings.MiniLmEmbedder;
import dev.agentrt.llm.router.Ranking;
import dev.agentrt.llm.router.RouteCandidate;
import dev.agentrt.llm.router.RouteRanker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded router's ranking ({@code kind: router}, agent-llm's {@link RouteRanker} over
 * agent-embeddings' {@link MiniLmEmbedder}):
 *
 * <ul>
 *   <li>{@code recommend}: one recommendation among {@value #ROUTES} candidate routes (each with a
 *       description, tags and 5 examples), for requests of 5-25 words taken in turn; the model is
 *       loaded and the candidates embedded once, in {@code @Setup}; sampled (p50, p99). The
 *       {@code @Setup} and {@code @TearDown} print the heap used after GC and the process's
 *       resident set ({@code VmRSS}) before loading the model, after building the ranker and at the
 *       end.
 *   <li>{@code coldLoad}: the first recommendation in a fresh JVM, one per fork: loading the ONNX
 *       model and the tokenizer's native library, embedding the {@value #ROUTES} candidates, then
 *       ranking one request (what the first request routed by a new runtime pays).
 *   <li>{@code coldEmbed}: the model's load alone: the first embedding of one short text in a fresh
 *       JVM, one per fork.
 * </ul>
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RouterBenchmark {
  static final int ROUTES = 8;

  /** The triage workflow's six routes and two more, as an engineering desk might have. */
  static final List<RouteCandidate> CANDIDATES =
      List.of(
          route(
              "code",
              "Change the source code - implement a feature, fix a bug, refactor",
              List.of("code", "feature", "bugfix"),
              "Add a --verbose flag to the command line tool",
              "Fix the null pointer exception when the config file is empty",
              "Refactor the user service into smaller classes",
              "Make the cache size configurable instead of hard-coded",
              "Show a loading spinner on the dashboard while the data loads"),
          route(
              "tests",
              "A test or the CI build fails, is flaky or hangs",
              List.of("tests", "ci", "flaky"),
              "The unit test for the date parser fails with an assertion error",
              "This test is flaky, it passes locally and fails on CI",
              "The build is red because three integration tests time out",
              "Tests fail with expected 3 but was 4 in CartTest",
              "The test run stops with an exception in the test setup"),
          route(
              "docs",
              "Write or update documentation - README, guides, Javadoc, changelog",
              List.of("docs", "readme", "guide"),
              "Update the README with the new installation steps",
              "Write a tutorial that explains how to configure logging",
              "Add Javadoc comments to the public classes of the client library",
              "Document the REST endpoints with their parameters and responses",
              "Write the release notes for version 3.1"),
          route(
              "research",
              "Answer a technical question by investigating - compare, explain, evaluate",
              List.of("research", "question", "comparison"),
              "Compare Kafka and RabbitMQ for our event pipeline",
              "How does garbage collection work in the JVM?",
              "Which database fits a time series workload best?",
              "Find out whether this library is still maintained",
              "What are the trade-offs between microservices and a modular monolith?"),
          route(
              "data",
              "Transform a dataset - convert formats, clean, join, aggregate, anonymise",
              List.of("data", "csv", "etl"),
              "Convert this CSV file of orders into JSON",
              "Remove the duplicate rows from the customer table",
              "Aggregate the sales records by month and region",
              "Mask the email addresses in the user export",
              "Join the two data files on the product id"),
          route(
              "review",
              "Review a pull request or a change - read the diff and comment",
              List.of("review", "pull request"),
              "Review my pull request for the payment module",
              "Look over this diff and tell me what could break",
              "Is this change safe to merge?",
              "Check the new migration script before I merge it",
              "Give feedback on the design of the new API in this PR"),
          route(
              "ops",
              "Deploy, release or operate a service - servers, containers, monitoring",
              List.of("ops", "deploy", "infrastructure"),
              "Deploy version 2.3 to the staging cluster",
              "The production pods keep restarting, check the logs",
              "Set up an alert when the error rate goes above one percent",
              "Scale the worker service to five replicas",
              "Renew the TLS certificate of the public site"),
          route(
              "out_of_scope",
              "Not a software engineering task - errands, small talk, general knowledge",
              List.of("off-topic", "personal"),
              "Book me a flight to Berlin next Friday",
              "Tell me a joke",
              "What is the capital of Australia?",
              "Order flowers for my mother's birthday",
              "My printer is jammed again"));

  static final List<String> REQUESTS =
      List.of(
          "Add pagination to the orders endpoint",
          "InvoiceCalculatorTest fails: expected 120.00 but was 119.99 after the rounding change",
          "The installation instructions in the README are out of date",
          "Should we use GraphQL or REST for the new mobile API?",
          "Turn this JSON array of users into a CSV with one row per user",
          "Please review the pull request that changes how we store sessions, I am worried about"
              + " the migration of the existing rows and the cache invalidation",
          "Roll back yesterday's deployment, the checkout page is down",
          "What's the weather like in Paris tomorrow?",
          "Implement a retry with exponential backoff in the HTTP client",
          "The nightly build is broken",
          "Write a migration guide from version 1 to version 2 that lists every renamed option",
          "How do CRDTs let collaborative editors merge concurrent changes?",
          "Deduplicate the contacts list by email address",
          "Can you check whether this diff breaks the public API?",
          "Increase the memory limit of the search service containers",
          "Help me plan a birthday party for my daughter");

  private static RouteCandidate route(
      String edge, String description, List<String> tags, String... examples) {
    return new RouteCandidate(edge, edge, description, tags, List.of(examples));
  }

  /** The ranker, built once per fork. */
  @State(Scope.Benchmark)
  public static class Router {
    RouteRanker ranker;
    int next;

    @Setup(Level.Trial)
    public void load() {
      String before = memory();
      long t0 = System.nanoTime();
      ranker = new RouteRanker(new MiniLmEmbedder(), CANDIDATES);
      ranker.rank("warm up the model");
      long t1 = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "%n[router] before the model: %s%n[router] model loaded, %d routes embedded, first"
              + " ranking: %.0f ms%n[router] after: %s%n",
          before,
          CANDIDATES.size(),
          (t1 - t0) / 1e6,
          memory());
    }

    @TearDown(Level.Trial)
    public void report() {
      System.out.printf(Locale.ROOT, "%n[router] at the end: %s%n", memory());
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Ranking recommend(Router r) {
    return r.ranker.rank(REQUESTS.get(r.next++ & (REQUESTS.size() - 1)));
  }

  /** The cold first recommendation: model load, candidates embedded, one ranking. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(
      value = 5,
      jvmArgsAppend = {"-Xmx1g"})
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public Ranking coldLoad() {
    return new RouteRanker(new MiniLmEmbedder(), CANDIDATES).rank(REQUESTS.get(0));
  }

  /** The model's load: the first embedding of one short text in a fresh JVM. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Fork(
      value = 5,
      jvmArgsAppend = {"-Xmx1g"})
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public float[] coldEmbed() {
    return new MiniLmEmbedder().embed("Add pagination to the orders endpoint");
  }

  /** Heap used after a full GC (lowest of 3) and the process's resident set size, in MB. */
  static String memory() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long heap = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      heap = Math.min(heap, mx.getHeapMemoryUsage().getUsed());
    }
    return String.format(
        Locale.ROOT, "heap used after GC %.1f MB, VmRSS %s", heap / 1048576.0, rss());
  }

  /** {@code VmRSS} of {@code /proc/self/status}, or "n/a" where there is none (not Linux). */
  static String rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          long kb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
          return String.format(Locale.ROOT, "%.1f MB", kb / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      return "n/a (" + e.getMessage() + ")";
    }
    return "n/a";
  }
}
