package dev.agentrt.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@link ToolLoopCrashIT}: runs or resumes run RUN_ID of workflow {@code loop}
 * (one agent step whose model asks for tool {@code lookup} round after round) over CONFIG_DIR.
 *
 * <p>{@code MODE CONFIG_DIR RUN_ID LEDGER [GO_FILE]}, MODE {@code start} or {@code resume}
 * (retrying while another engine's lease is live, until its expiry each time, at most 30 s in all).
 * Tool {@code lookup} appends {@code round N} to LEDGER each time it runs. Prints {@code owned ...}
 * for every refused resume and {@code result JSON} (status, message, output) at the end, then exits
 * 0. With GO_FILE, it builds its runtime, prints {@code ready} and waits (at most 60 s) for GO_FILE
 * to exist first.
 */
public final class ToolLoopCrashMain {
  static final String WORKFLOW = "loop";

  private ToolLoopCrashMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path configDir = Path.of(args[1]);
    String runId = args[2];
    Path ledger = Path.of(args[3]);
    try (AgentRuntime rt = runtime(configDir, ledger).runIds(() -> runId).build()) {
      if (args.length > 4) awaitGo(Path.of(args[4]));
      RunResult r =
          switch (mode) {
            case "start" -> rt.run(WORKFLOW, input());
            case "resume" -> resumeWhenLeaseExpires(rt, runId);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
          };
      print("result " + result(r));
    }
    System.out.flush();
    System.exit(0);
  }

  private static void awaitGo(Path go) {
    print("ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(go)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("no go signal within 60 s");
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Resumes the run; while the killed engine still holds its lease, waits for its expiry and tries
   * again.
   */
  private static RunResult resumeWhenLeaseExpires(AgentRuntime rt, String runId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return rt.resume(runId, null);
      } catch (RunOwnedException e) {
        print("owned " + e.owner() + " " + e.leaseExpiresAt());
        long waitMillis = Duration.between(Instant.now(), e.leaseExpiresAt()).toMillis() + 5;
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) > deadline) throw e;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMillis)));
      }
    }
  }

  static Map<String, Object> input() {
    return Map.of("topic", "crashes");
  }

  /** A runtime over {@code configDir} with tool {@code lookup} writing to {@code ledger}. */
  static AgentRuntime.Builder runtime(Path configDir, Path ledger) {
    return AgentRuntime.builder().configDir(configDir).tool(new LookupTool(ledger));
  }

  static JsonNode result(RunResult r) {
    ObjectNode o = StubOpenAi.JSON.createObjectNode();
    o.put("status", r.status().name());
    o.put("message", r.message());
    o.set("output", r.output());
    return o;
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /**
   * Tool {@code lookup}: answers {@code fact-<round>}; appends {@code round <round>} to the ledger
   * (one write, so a kill never leaves half a line). A read-only tool as far as the runtime knows
   * ({@link Effect#NONE}): its result is recorded the moment it returns, not with the step.
   */
  static final class LookupTool implements Tool {
    private final Path ledger;

    LookupTool(Path ledger) {
      this.ledger = ledger;
    }

    @Override
    public ToolDescriptor descriptor() {
      ObjectNode schema = StubOpenAi.JSON.createObjectNode().put("type", "object");
      schema.putObject("properties").putObject("round").put("type", "integer");
      schema.putArray("required").add("round");
      return new ToolDescriptor(
          "lookup", "Looks up the fact of a round.", schema, Set.of(), Effect.NONE);
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      int round = call.argument("round").asInt();
      try (FileChannel ch =
          FileChannel.open(
              ledger,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer line =
            ByteBuffer.wrap(("round " + round + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) ch.write(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ToolResult.success(TextNode.valueOf("fact-" + round));
    }
  }
}
