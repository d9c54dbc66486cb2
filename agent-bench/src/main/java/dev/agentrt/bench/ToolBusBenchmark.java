package dev.agentrt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.BuiltinTools;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import dev.agentrt.tools.ToolSchemas;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * ToolBus overhead and grep engines.
 *
 * <p>{@code noopCall}: one call of a tool that does nothing, through everything the bus does around
 * a call (lookup, allowed-list and policy check, schema validation, request hash, hand-off to a bus
 * thread and back, output size check, recording in an in-memory journal). Target: at most 20 µs.
 * {@code grep}: a search over a generated tree of 10,000 files, Java search against ripgrep.
 *
 * <p>{@code java -jar agent-bench/target/benchmarks.jar ToolBusBenchmark}
 */
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ToolBusBenchmark {

  record NoopArgs(String text, int count) {}

  static final class Noop implements Tool {
    private static final ToolDescriptor D =
        new ToolDescriptor(
            "noop", "does nothing", ToolSchemas.of(NoopArgs.class), Set.of(), Effect.NONE);

    @Override
    public ToolDescriptor descriptor() {
      return D;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      return ToolResult.success(TextNode.valueOf("ok"));
    }
  }

  /** Keeps the last records, like a step's journal before commit; nothing is written anywhere. */
  static final class MemoryJournal implements CallJournal {
    volatile CallRecord last;

    @Override
    public Optional<CallRecord> replayed(int index) {
      return Optional.empty();
    }

    @Override
    public void record(CallRecord record) {
      last = record;
    }

    @Override
    public void recordWithStep(CallRecord record) {
      last = record;
    }
  }

  @State(Scope.Benchmark)
  public static class BusState {
    ToolBus bus;
    ToolInvocation invocation;

    @Setup
    public void setUp() {
      bus =
          ToolBus.builder()
              .discovery(false)
              .tool(new Noop())
              .policy(ToolPolicy.ofDefaults())
              .build();
      ObjectNode args = JsonNodeFactory.instance.objectNode().put("text", "hello").put("count", 3);
      invocation =
          new ToolInvocation(
              "noop",
              args,
              "engineer",
              Set.of("noop", "fs.read"),
              "run-1",
              "step#1",
              0,
              new MemoryJournal(),
              () -> false);
    }

    @TearDown
    public void tearDown() {
      bus.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ToolResult noopCall(BusState s) {
    return s.bus.call(s.invocation);
  }

  @State(Scope.Benchmark)
  public static class TreeState {
    @Param({"java", "ripgrep"})
    public String engine;

    Path root;
    ToolBus bus;
    ToolInvocation invocation;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      root = Files.createTempDirectory("agentrt-grep-bench").toRealPath();
      for (int d = 0; d < 100; d++) {
        Path dir = Files.createDirectories(root.resolve("pkg" + d / 10 + "/sub" + d));
        for (int f = 0; f < 100; f++) {
          StringBuilder sb = new StringBuilder();
          for (int l = 0; l < 40; l++) {
            sb.append("  line ")
                .append(l)
                .append(" of file ")
                .append(f)
                .append(l == 17 && f % 7 == 0 ? " NEEDLE here" : "")
                .append('\n');
          }
          Files.writeString(dir.resolve("F" + f + ".java"), sb);
        }
      }
      ObjectNode settings =
          JsonNodeFactory.instance.objectNode().put("engine", engine).put("timeout", "PT5M");
      bus =
          ToolBus.builder()
              .discovery(false)
              .tools(List.of(BuiltinTools.grep()))
              .policy(ToolPolicy.builder().workspace(root).toolSettings("grep", settings).build())
              .build();
      JsonNode args =
          JsonNodeFactory.instance.objectNode().put("pattern", "NEEDLE").put("max_matches", 10_000);
      invocation = ToolInvocation.of("grep", args);
      ToolResult r = bus.call(invocation);
      if (!(r instanceof ToolResult.Success ok) || ok.value().get("matches").size() != 1500) {
        throw new IllegalStateException("grep benchmark set-up: unexpected result " + r);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      bus.close();
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.delete(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public ToolResult grep10kFiles(TreeState s) {
    return s.bus.call(s.invocation);
  }
}
