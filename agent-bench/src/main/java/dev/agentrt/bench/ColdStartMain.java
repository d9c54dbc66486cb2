package dev.agentrt.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.CheckpointStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cold start probe: {@code java -cp benchmarks.jar dev.agentrt.bench.ColdStartMain DIR [WORKFLOW]}
 * loads the {@code .agent/} directory DIR, runs WORKFLOW (default {@code wf01}) whose first node
 * calls the function {@code mark}, prints the milliseconds from JVM start to that first step and
 * exits. Measure the whole process externally (as {@link ColdStartBenchmark} does) for the number
 * that users see; the printed figure excludes JVM exit.
 */
final class ColdStartMain {
  private ColdStartMain() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: ColdStartMain DIR [WORKFLOW]");
      System.exit(2);
    }
    AtomicLong firstStepAt = new AtomicLong();
    AgentRuntime runtime =
        AgentRuntime.builder()
            .configDir(Path.of(args[0]))
            .function(
                "mark",
                (input, ctx) -> {
                  firstStepAt.compareAndSet(0, System.currentTimeMillis());
                  return TextNode.valueOf("marked");
                })
            .checkpointStore(CheckpointStore.none())
            .build();
    RunResult r = runtime.run(args.length > 1 ? args[1] : "wf01", Map.of("name", "bench"));
    runtime.close();
    if (!r.isCompleted()) {
      System.err.println("run did not complete: " + r.status() + " " + r.message());
      System.exit(1);
    }
    // Read after the run: the management classes are not part of what is measured.
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("first step " + (firstStepAt.get() - jvmStart) + " ms after JVM start");
  }
}
