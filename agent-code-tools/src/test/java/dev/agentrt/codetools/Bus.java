package dev.agentrt.codetools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.CallJournal;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A ToolBus over a workspace, with the tools found by discovery, as the runtime builds it. */
final class Bus implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final ToolBus bus;

  Bus(Path workspace) {
    try {
      bus =
          ToolBus.builder()
              .policy(ToolPolicy.builder().workspace(workspace.toRealPath()).build())
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ToolResult call(String tool, Object... kv) {
    return bus.call(ToolInvocation.of(tool, args(kv)));
  }

  static ObjectNode args(Object... kv) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < kv.length; i += 2) o.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
    return o;
  }

  /** The value of a success; fails the test on failure. */
  static JsonNode value(ToolResult r) {
    if (r instanceof ToolResult.Success s) return s.value();
    throw new AssertionError("expected a success, got " + r);
  }

  /** The message of a failure; fails the test on success. */
  static String failure(ToolResult r) {
    if (r instanceof ToolResult.Failure f) return f.message();
    throw new AssertionError("expected a failure, got " + r);
  }

  @Override
  public void close() {
    bus.close();
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
}
