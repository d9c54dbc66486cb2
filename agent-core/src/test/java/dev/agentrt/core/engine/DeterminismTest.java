package dev.agentrt.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a run's step keys, step outputs, statuses and final output do not depend on thread
 * timing. Random valid workflows (linear chains, decisions, branch/merge, nested split/merge and
 * bounded loops over transform and function nodes; functions sleep 0-2 ms as workload) each run
 * twice concurrently and must agree.
 */
class DeterminismTest {
  static final int WORKFLOWS = 200;
  static final long SEED = 0x5EED_A6E7L;

  @TempDir Path dir;

  @Test
  void run_randomWorkflowsTwiceConcurrently_sameStepsOutputsAndResult() throws Exception {
    Random rnd = new Random(SEED);
    String[] yamls = new String[WORKFLOWS];
    for (int i = 0; i < WORKFLOWS; i++) yamls[i] = new Generator(rnd, "w" + i).workflow();

    // the generated workflows cover every shape, nested
    assertThat(count(yamls, "role: decision")).isGreaterThan(WORKFLOWS / 2);
    assertThat(count(yamls, "role: branch")).isGreaterThan(WORKFLOWS / 2);
    assertThat(count(yamls, "role: split")).isGreaterThan(WORKFLOWS / 2);
    assertThat(count(yamls, "loop: {")).isGreaterThan(WORKFLOWS / 2);
    assertThat(count(yamls, "{{$index}}\"]}")).as("nested splits").isGreaterThan(10);

    long t0 = System.nanoTime();
    try (AgentRuntime rt =
        Fixture.runtime(dir, yamls)
            .function("work", DeterminismTest::work)
            .function("pick", DeterminismTest::pick)
            .build()) {
      long steps = 0;
      for (int i = 0; i < WORKFLOWS; i++) {
        ObjectNode input = Fixture.MAPPER.createObjectNode();
        input.put("seed", i);
        input.put("pick", "abz".substring(i % 3, i % 3 + 1));
        input
            .putArray("list")
            .addAll(
                List.of(TextNode.valueOf("p"), TextNode.valueOf("q"), TextNode.valueOf("r"))
                    .subList(0, 1 + i % 3));
        RunHandle first = rt.start("w" + i, input);
        RunHandle second = rt.start("w" + i, input);
        RunResult a = first.await(Duration.ofSeconds(30));
        RunResult b = second.await(Duration.ofSeconds(30));

        String about = "workflow w" + i + ":\n" + yamls[i];
        assertThat(a.status()).as(about + "\n" + a.message()).isEqualTo(RunStatus.COMPLETED);
        assertThat(b.status()).as(about).isEqualTo(a.status());
        assertThat(describe(b)).as(about).isEqualTo(describe(a));
        assertThat(b.output()).as(about).isEqualTo(a.output());
        steps += a.steps().size();
      }
      System.out.printf(
          "DeterminismTest: %d workflows run twice, %d steps per round, %d ms%n",
          WORKFLOWS, steps, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static long count(String[] yamls, String feature) {
    return java.util.Arrays.stream(yamls).filter(y -> y.contains(feature)).count();
  }

  private static List<String> describe(RunResult r) {
    List<String> out = new ArrayList<>();
    for (StepResult s : r.steps()) {
      out.add(
          s.key()
              + " "
              + s.nodeId()
              + " "
              + s.status()
              + " "
              + s.attempts()
              + " "
              + s.output()
              + " "
              + s.error());
    }
    return out;
  }

  /** Workload: sleeps 0-2 ms, then returns a digest of everything the step sees. */
  private static JsonNode work(
      dev.agentrt.core.spi.NodeInput in, dev.agentrt.core.spi.NodeContext ctx)
      throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
    return TextNode.valueOf(
        ctx.stepKey() + ":" + Integer.toHexString(in.value().toString().hashCode()));
  }

  /** A decision value that depends only on the step key and the input. */
  private static JsonNode pick(
      dev.agentrt.core.spi.NodeInput in, dev.agentrt.core.spi.NodeContext ctx)
      throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
    int h = Math.floorMod((ctx.stepKey() + "/" + in.get("input.seed").asText()).hashCode(), 3);
    ObjectNode o = Fixture.MAPPER.createObjectNode();
    o.put("r", "abc".substring(h, h + 1));
    return o;
  }

  /** Generates one random valid workflow as YAML. */
  static final class Generator {
    private static final int MAX_DEPTH = 3;
    private static final int MAX_NODES = 40;

    private final Random rnd;
    private final String id;
    private final StringBuilder nodes = new StringBuilder();
    private final StringBuilder edges = new StringBuilder();
    private int count;

    Generator(Random rnd, String id) {
      this.rnd = rnd;
      this.id = id;
    }

    String workflow() {
      node("{id: start, role: start}");
      String[] body = segment(0, 0);
      edge("start", body[0]);
      node("{id: done, role: exit}");
      edge(body[1], "done");
      return "id: " + id + "\nnodes:\n" + nodes + "edges:\n" + edges;
    }

    private void node(String yaml) {
      nodes.append("  - ").append(yaml).append('\n');
    }

    private void edge(String from, String to) {
      edges.append("  - {from: ").append(from).append(", to: ").append(to).append("}\n");
    }

    private String next(String prefix) {
      return prefix + count++;
    }

    /** A chain of blocks; returns its first node and its last node (which has no edge out yet). */
    private String[] segment(int depth, int splits) {
      int blocks = 1 + rnd.nextInt(3);
      String first = null;
      String last = null;
      for (int i = 0; i < blocks; i++) {
        String[] b = block(depth, splits);
        if (first == null) first = b[0];
        else edge(last, b[0]);
        last = b[1];
      }
      return new String[] {first, last};
    }

    private String[] block(int depth, int splits) {
      int kind = depth >= MAX_DEPTH || count > MAX_NODES ? 0 : rnd.nextInt(6);
      switch (kind) {
        case 1:
          return decision(depth, splits);
        case 2:
          return branch(depth, splits);
        case 3:
          return split(depth, splits);
        case 4:
          return loop(depth, splits);
        default:
          {
            String w = work(splits);
            return new String[] {w, w};
          }
      }
    }

    private String work(int splits) {
      if (rnd.nextBoolean()) {
        String n = next("f");
        node("{id: " + n + ", kind: function, function: work}");
        return n;
      }
      String n = next("t");
      String item = splits > 0 ? ", item: \"{{$item}}#{{$index}}\"" : "";
      node(
          "{id: "
              + n
              + ", kind: transform, template: {n: "
              + n
              + ", seed: \"s{{input.seed}}\""
              + item
              + "}}");
      return n;
    }

    private String[] decision(int depth, int splits) {
      String d = next("d");
      if (rnd.nextBoolean()) {
        node("{id: " + d + ", kind: function, function: pick, role: decision, route: r}");
      } else {
        node(
            "{id: "
                + d
                + ", kind: transform, role: decision, route: r, template: {r: \"{{input.pick}}\"}}");
      }
      String join = work(splits);
      int alternatives = 2 + rnd.nextInt(2);
      for (int i = 0; i < alternatives; i++) {
        String[] alt = segment(depth + 1, splits);
        String when = i == alternatives - 1 ? "" : ", when: " + "abc".charAt(i);
        edges
            .append("  - {from: ")
            .append(d)
            .append(", to: ")
            .append(alt[0])
            .append(when)
            .append("}\n");
        edge(alt[1], join);
      }
      return new String[] {d, join};
    }

    private String[] branch(int depth, int splits) {
      String b = next("b");
      String m = next("m");
      node("{id: " + b + ", role: branch}");
      node("{id: " + m + ", role: merge}");
      int children = 2 + rnd.nextInt(2);
      for (int i = 0; i < children; i++) {
        String[] c = segment(depth + 1, splits);
        edge(b, c[0]);
        edge(c[1], m);
      }
      return new String[] {b, m};
    }

    private String[] split(int depth, int splits) {
      String s = next("s");
      String m = next("m");
      if (rnd.nextInt(3) == 0) {
        node("{id: " + s + ", role: split, items: input.list}");
      } else {
        List<String> items = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--)
          items.add("i" + i + (splits > 0 ? "-{{$index}}" : ""));
        node(
            "{id: "
                + s
                + ", role: split, kind: transform, template: ["
                + String.join(", ", items.stream().map(x -> "\"" + x + "\"").toList())
                + "]}");
      }
      node("{id: " + m + ", role: merge}");
      String[] c = segment(depth + 1, splits + 1);
      edge(s, c[0]);
      edge(c[1], m);
      return new String[] {s, m};
    }

    private String[] loop(int depth, int splits) {
      String[] body = segment(depth + 1, splits);
      String tail = work(splits);
      edge(body[1], tail);
      String after = work(splits);
      String l = next("l");
      int max = 1 + rnd.nextInt(3);
      if (rnd.nextBoolean()) {
        // always taken until exhausted
        edges
            .append("  - {id: ")
            .append(l)
            .append(", from: ")
            .append(tail)
            .append(", to: ")
            .append(body[0])
            .append(", loop: {max: ")
            .append(max)
            .append(", exhausted: ")
            .append(after)
            .append("}}\n");
        return new String[] {body[0], after};
      }
      // a decision chooses between looping again and leaving
      String d = next("d");
      node("{id: " + d + ", kind: function, function: pick, role: decision, route: r}");
      edge(tail, d);
      edges.append("  - {from: ").append(d).append(", to: ").append(after).append(", when: a}\n");
      edges
          .append("  - {id: ")
          .append(l)
          .append(", from: ")
          .append(d)
          .append(", to: ")
          .append(body[0])
          .append(", loop: {max: ")
          .append(max)
          .append(", exhausted: ")
          .append(after)
          .append("}}\n");
      return new String[] {body[0], after};
    }
  }
}
