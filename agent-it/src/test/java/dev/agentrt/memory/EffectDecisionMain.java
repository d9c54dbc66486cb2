package dev.agentrt.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunOwnedException;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The child JVM of {@link EffectDecisionIT}: runs or resumes run RUN_ID of the workflow {@code
 * send}, whose {@code kind: tool} node calls {@code ledger.send}, a tool that appends its call's
 * idempotency key to a ledger file.
 *
 * <p>{@code MODE CONFIG_DIR RUN_ID LEDGER EFFECT [DECISION]}, where EFFECT is {@code idempotent} or
 * {@code non_idempotent} (the tool's declared effect) and MODE is
 *
 * <ul>
 *   <li>{@code start}: runs the workflow; the tool, after writing its ledger line, blocks forever
 *       (so that the parent kills this JVM in the middle of the call);
 *   <li>{@code resume}: resumes the run, with input {@code {"effect": DECISION}} when DECISION is
 *       given, retrying while the killed JVM's lease is live; the tool returns after its line.
 * </ul>
 *
 * It prints {@code result JSON} (status, reason, step key, message, output) at the end, then exits
 * 0.
 */
public final class EffectDecisionMain {
  private EffectDecisionMain() {}

  /** The tool's arguments. */
  public record Args(String text) {}

  /** Writes {@code <idempotency key>\n} to the ledger; blocks afterwards when {@code block}. */
  static final class LedgerTool implements Tool {
    private final Path ledger;
    private final Effect effect;
    private final boolean block;

    LedgerTool(Path ledger, Effect effect, boolean block) {
      this.ledger = ledger;
      this.effect = effect;
      this.block = block;
    }

    @Override
    public ToolDescriptor descriptor() {
      return new ToolDescriptor(
          "ledger.send",
          "Appends its call's idempotency key to a ledger.",
          ToolSchemas.of(Args.class),
          Set.of(),
          effect);
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) throws Exception {
      CrashResumeMain.effect(ledger, call.idempotencyKey());
      if (block) {
        System.out.println("sent " + call.idempotencyKey());
        System.out.flush();
        new CountDownLatch(1).await(); // the release never comes: the parent kills this JVM
      }
      ObjectNode out = Fixtures.JSON.createObjectNode();
      out.put("sent", call.argument("text").asText());
      out.put("key", call.idempotencyKey());
      return ToolResult.success(out);
    }
  }

  static String workflow() {
    return """
        id: send
        nodes:
          - {id: start, role: start}
          - {id: send, kind: tool, tool: ledger.send, args: {text: "{{input.text}}"}}
          - {id: done, role: exit, output: "{{send}}"}
        edges:
          - {from: start, to: send}
          - {from: send, to: done}
        """;
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path configDir = Path.of(args[1]);
    String runId = args[2];
    Path ledger = Path.of(args[3]);
    Effect effect = Effect.valueOf(args[4].toUpperCase(Locale.ROOT));
    String decision = args.length > 5 ? args[5] : null;
    try (AgentRuntime rt =
        AgentRuntime.builder()
            .configDir(configDir)
            .runIds(() -> runId)
            .tool(new LedgerTool(ledger, effect, mode.equals("start")))
            .build()) {
      RunResult r =
          switch (mode) {
            case "start" -> rt.run("send", Map.of("text", "hello"));
            case "resume" ->
                resumeWhenLeaseExpires(
                    rt, runId, decision == null ? null : Map.of("effect", decision));
            default -> throw new IllegalArgumentException("unknown mode " + mode);
          };
      System.out.println("result " + CrashResumeMain.result(r));
    }
    System.out.flush();
    System.exit(0);
  }

  private static RunResult resumeWhenLeaseExpires(
      AgentRuntime rt, String runId, @Nullable Object input) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return rt.resume(runId, input);
      } catch (RunOwnedException e) {
        long waitMillis = Duration.between(Instant.now(), e.leaseExpiresAt()).toMillis() + 5;
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) > deadline) throw e;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMillis)));
      }
    }
  }
}
