package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The limits every run input is held to where it enters the runtime ({@link AgentRuntime#MAX_INPUT_DEPTH},
 * {@link AgentRuntime#MAX_INPUT_BYTES}): a value past them could be stored but not read back,
 * printed or validated.
 */
final class InputLimits {
  private InputLimits() {}

  /** Throws {@link InvalidInputException} if {@code input} is nested too deeply or too large. */
  static void check(String workflowId, JsonNode input) {
    if (deeperThan(input, AgentRuntime.MAX_INPUT_DEPTH)) {
      throw new InvalidInputException(workflowId, "is nested more than " + AgentRuntime.MAX_INPUT_DEPTH
          + " levels deep; at most " + AgentRuntime.MAX_INPUT_DEPTH + " levels of arrays and objects are accepted "
          + "(flatten it)");
    }
    if (largerThan(input, AgentRuntime.MAX_INPUT_BYTES)) {
      throw new InvalidInputException(workflowId, "is larger than " + mebibytes(AgentRuntime.MAX_INPUT_BYTES)
          + " as JSON; pass large data by reference (such as a file path or URL in the input)");
    }
  }

  static String mebibytes(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
  }

  /** Whether arrays and objects nest more than {@code max} levels; iterative, so any depth is safe. */
  private static boolean deeperThan(JsonNode root, int max) {
    if (!root.isContainerNode()) return false;
    if (max < 1) return true;
    Deque<Iterator<JsonNode>> open = new ArrayDeque<>();
    open.push(root.elements());
    while (!open.isEmpty()) {
      Iterator<JsonNode> it = open.peek();
      if (!it.hasNext()) {
        open.pop();
        continue;
      }
      JsonNode child = it.next();
      if (child.isContainerNode()) {
        if (open.size() >= max) return true;
        open.push(child.elements());
      }
    }
    return false;
  }

  /** Whether {@code value} written as JSON (UTF-8) takes more than {@code max} bytes; stops counting past it. */
  private static boolean largerThan(JsonNode value, long max) {
    Counter counter = new Counter(max);
    try {
      Json.MAPPER.writeValue(counter, value);
    } catch (IOException e) {
      if (counter.over) return true;
      throw new IllegalStateException("the input cannot be written as JSON: " + e.getMessage(), e);
    }
    return counter.over;
  }

  /** Counts bytes and fails the write once more than {@code max} were written. */
  private static final class Counter extends OutputStream {
    private final long max;
    private long count;
    boolean over;

    Counter(long max) {
      this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
      add(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      add(len);
    }

    private void add(long n) throws IOException {
      count += n;
      if (count > max) {
        over = true;
        throw new IOException("more than " + max + " bytes");
      }
    }
  }
}
