package dev.agentrt.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.NodeFunction;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link CrashResumeIT} and {@link ResumeFencingIT}: runs or resumes one run of a
 * workflow in {@code CONFIG_DIR} whose {@code function} nodes append {@code <idempotency key>\n} to
 * a ledger file before they return a value derived from their input.
 *
 * <p>{@code MODE CONFIG_DIR RUN_ID WORKFLOW LEDGER STEP_MICROS [GO_FILE]}, where MODE is
 *
 * <ul>
 *   <li>{@code start}: runs the workflow as run RUN_ID;
 *   <li>{@code resume}: resumes RUN_ID, retrying while another engine's lease is live (until the
 *       lease's expiry each time, at most 30 s in all);
 *   <li>{@code resume-once}: resumes RUN_ID once; exit code 3 and {@code owned ...} when another
 *       engine owns it.
 * </ul>
 *
 * With GO_FILE, it builds its runtime, prints {@code ready} and waits for GO_FILE to exist first.
 * It prints {@code step KEY} for every step it completes and {@code result JSON} (status, reason,
 * step key, message, output) at the end, then exits 0.
 */
public final class CrashResumeMain {
  /** Exit code when the run is owned by another engine ({@code resume-once}). */
  static final int OWNED = 3;

  private CrashResumeMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path configDir = Path.of(args[1]);
    String runId = args[2];
    String workflow = args[3];
    Path ledger = Path.of(args[4]);
    long stepMicros = Long.parseLong(args[5]);
    RunListener progress =
        new RunListener() {
          @Override
          public void stepCompleted(RunEvent.StepCompleted event) {
            print("step " + event.stepKey());
          }
        };
    int exit = 0;
    try (AgentRuntime rt =
        runtime(configDir, ledger, stepMicros).listener(progress).runIds(() -> runId).build()) {
      if (args.length > 6) awaitGo(Path.of(args[6]));
      RunResult r;
      switch (mode) {
        case "start" -> r = rt.run(workflow, input(workflow));
        case "resume" -> r = resumeWhenLeaseExpires(rt, runId);
        case "resume-once" -> {
          try {
            r = rt.resume(runId, null);
          } catch (RunOwnedException e) {
            print("owned " + e.owner() + " " + e.leaseExpiresAt() + " " + e.getMessage());
            r = null;
            exit = OWNED;
          }
        }
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
      if (r != null) print("result " + result(r));
    }
    System.out.flush();
    System.exit(exit);
  }

  /** Prints {@code ready} and waits (at most 60 s) until {@code go} exists. */
  private static void awaitGo(Path go) {
    print("ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(go)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("no go signal within 60 s");
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Resumes the run; while another engine (a killed one) still holds its lease, waits until the
   * lease expires and tries again.
   */
  private static RunResult resumeWhenLeaseExpires(AgentRuntime rt, String runId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int tries = 1; ; tries++) {
      try {
        RunResult r = rt.resume(runId, null);
        print("resumed after " + tries + " tries");
        return r;
      } catch (RunOwnedException e) {
        print("owned " + e.owner() + " " + e.leaseExpiresAt());
        long waitMillis = Duration.between(Instant.now(), e.leaseExpiresAt()).toMillis() + 5;
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) > deadline) throw e;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMillis)));
      }
    }
  }

  /** The input of every run of {@code workflow}. */
  static Map<String, Object> input(String workflow) {
    return Map.of("seed", "s-" + workflow);
  }

  /** A runtime over {@code configDir} with the functions {@code work} and {@code items}. */
  static AgentRuntime.Builder runtime(Path configDir, Path ledger, long stepMicros) {
    NodeFunction work =
        (in, ctx) -> {
          effect(ledger, ctx.idempotencyKey());
          pause(stepMicros);
          return TextNode.valueOf(digest(in.node().id() + ":" + in.value()));
        };
    NodeFunction items =
        (in, ctx) -> {
          effect(ledger, ctx.idempotencyKey());
          pause(stepMicros);
          ArrayNode out = Fixtures.JSON.createArrayNode();
          for (int i = 0; i < 4; i++) out.add(digest(in.node().id() + ":" + i + ":" + in.value()));
          return out;
        };
    return AgentRuntime.builder()
        .configDir(configDir)
        .function("work", work)
        .function("items", items);
  }

  /**
   * The side effect of a step: one line appended to the ledger (one {@code write}, so a kill never
   * leaves half a line). Not forced to disk: the page cache outlives a killed process, and an fsync
   * per step would make the run slow and the test long.
   */
  static void effect(Path ledger, String key) {
    try (FileChannel ch =
        FileChannel.open(
            ledger,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer line = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
      while (line.hasRemaining()) ch.write(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Busy work for short pauses (so a kill can land inside the step), a sleep for long ones. */
  private static void pause(long micros) {
    if (micros >= 5_000) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
      return;
    }
    long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
    long x = 0;
    while (System.nanoTime() < end) x += Long.rotateLeft(x ^ end, 7);
    if (x == 42) print("");
  }

  static String digest(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The 50-step workflow {@code id}: start, a1..a15, a branch {@code fan} into l1..l3 and r1..r3
   * meeting at {@code join}, b1..b5, a split {@code items} into four items of i1, i2 gathered by
   * {@code gather}, c1..c10, exit. Every node but start, merges and exit is a function.
   */
  static String workflow(String id, String budget) {
    StringBuilder nodes = new StringBuilder();
    StringBuilder edges = new StringBuilder();
    nodes.append("  - {id: start, role: start}\n");
    String prev = "start";
    String prevValue = "input.seed";
    for (int i = 1; i <= 15; i++) {
      nodes.append(work("a" + i, prevValue));
      edges.append(edge(prev, "a" + i));
      prev = prevValue = "a" + i;
    }
    nodes.append("  - {id: fan, role: branch, kind: function, function: work, input: {x: a15}}\n");
    edges.append(edge(prev, "fan"));
    for (String side : new String[] {"l", "r"}) {
      String p = "fan";
      for (int i = 1; i <= 3; i++) {
        nodes.append(work(side + i, p));
        edges.append(edge(p, side + i));
        p = side + i;
      }
      edges.append(edge(p, "join"));
    }
    nodes.append("  - {id: join, role: merge}\n");
    prev = prevValue = "join";
    for (int i = 1; i <= 5; i++) {
      nodes.append(work("b" + i, prevValue));
      edges.append(edge(prev, "b" + i));
      prev = prevValue = "b" + i;
    }
    nodes.append("  - {id: items, role: split, kind: function, function: items, input: {x: b5}}\n");
    edges.append(edge(prev, "items"));
    nodes.append("  - {id: i1, kind: function, function: work, input: {x: $item, i: $index}}\n");
    nodes.append(work("i2", "i1"));
    nodes.append("  - {id: gather, role: merge}\n");
    edges.append(edge("items", "i1")).append(edge("i1", "i2")).append(edge("i2", "gather"));
    prev = prevValue = "gather";
    for (int i = 1; i <= 10; i++) {
      nodes.append(work("c" + i, prevValue));
      edges.append(edge(prev, "c" + i));
      prev = prevValue = "c" + i;
    }
    nodes.append(
        "  - {id: done, role: exit, output: {join: \"{{join}}\", gather: \"{{gather}}\", last: \"{{c10}}\"}}\n");
    edges.append(edge(prev, "done"));
    return "id: " + id + "\n" + budget + "nodes:\n" + nodes + "edges:\n" + edges;
  }

  private static String work(String id, String from) {
    return "  - {id: " + id + ", kind: function, function: work, input: {x: " + from + "}}\n";
  }

  private static String edge(String from, String to) {
    return "  - {from: " + from + ", to: " + to + "}\n";
  }

  /**
   * The keys of the workflow's 50 steps in run order; {@code functionsOnly}: the 46 with an effect.
   */
  static List<String> stepKeys(boolean functionsOnly) {
    List<String> keys = new ArrayList<>();
    if (!functionsOnly) keys.add("start#0");
    for (int i = 1; i <= 15; i++) keys.add("a" + i + "#0");
    keys.add("fan#0");
    for (String side : new String[] {"l", "r"}) {
      for (int i = 1; i <= 3; i++) keys.add("fan#0[" + side + "1]/" + side + i + "#0");
    }
    if (!functionsOnly) keys.add("join#0");
    for (int i = 1; i <= 5; i++) keys.add("b" + i + "#0");
    keys.add("items#0");
    for (int item = 0; item < 4; item++) {
      for (int i = 1; i <= 2; i++) keys.add("items#0[" + item + "]/i" + i + "#0");
    }
    if (!functionsOnly) keys.add("gather#0");
    for (int i = 1; i <= 10; i++) keys.add("c" + i + "#0");
    if (!functionsOnly) keys.add("done#0");
    return keys;
  }

  static JsonNode result(RunResult r) {
    ObjectNode o = Fixtures.JSON.createObjectNode();
    o.put("status", r.status().name());
    o.put("reason", r.reason() == null ? null : r.reason().name());
    o.put("stepKey", r.stepKey());
    o.put("message", r.message());
    o.set("output", r.output());
    o.put("hops", r.usage().hops());
    return o;
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
