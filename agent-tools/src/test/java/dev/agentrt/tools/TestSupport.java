package dev.agentrt.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Helpers shared by the tests of this module. */
public final class TestSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  private TestSupport() {}

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode args(Object... kv) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < kv.length; i += 2) o.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
    return o;
  }

  /** The message of a failure; fails the test on success. */
  public static String failure(ToolResult r) {
    if (r instanceof ToolResult.Failure f) return f.message();
    throw new AssertionError("expected a failure, got " + r);
  }

  /** The value of a success; fails the test on failure. */
  public static JsonNode value(ToolResult r) {
    if (r instanceof ToolResult.Success s) return s.value();
    throw new AssertionError("expected a success, got " + r);
  }

  /** A tool with a fixed descriptor and a lambda body. */
  interface Body {
    ToolResult run(ToolCall call, ToolContext ctx) throws Exception;
  }

  record Args(@Nullable String text) {}

  static Tool tool(String name, Effect effect, Body body) {
    ToolDescriptor d =
        new ToolDescriptor(name, "test tool " + name, ToolSchemas.of(Args.class), Set.of(), effect);
    return new Tool() {
      @Override
      public ToolDescriptor descriptor() {
        return d;
      }

      @Override
      public ToolResult execute(ToolCall call, ToolContext ctx) throws Exception {
        return body.run(call, ctx);
      }
    };
  }

  /** A step's journal in memory: what was committed at once and what waits for the step. */
  static final class MemoryJournal implements CallJournal {
    final List<CallRecord> committed = new ArrayList<>();
    final List<CallRecord> withStep = new ArrayList<>();
    final List<CallRecord> earlier = new ArrayList<>();

    @Override
    public synchronized Optional<CallRecord> replayed(int index) {
      return earlier.stream().filter(c -> c.index() == index).findFirst();
    }

    @Override
    public synchronized void record(CallRecord record) {
      committed.add(record);
    }

    @Override
    public synchronized void recordWithStep(CallRecord record) {
      withStep.add(record);
    }
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
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
