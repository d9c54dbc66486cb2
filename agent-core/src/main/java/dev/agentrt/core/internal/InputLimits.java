package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The limits every run input is held to where it enters the runtime ({@link
 * AgentRuntime#MAX_INPUT_DEPTH}, {@link AgentRuntime#MAX_INPUT_BYTES}): a value past them could be
 * stored but not read back, printed or validated.
 */
final class InputLimits {
  private InputLimits() {}

  /**
   * Throws {@link InvalidInputException} if {@code input} is nested too deeply or too large. One
   * walk of the tree checks the depth and bounds the size from above; only an input whose bound
   * passes the limit is written out to count its bytes exactly, so a run's start pays no
   * serialisation for ordinary inputs.
   */
  static void check(String workflowId, JsonNode input) {
    long bound = boundedSize(input, AgentRuntime.MAX_INPUT_DEPTH);
    if (bound < 0) {
      throw new InvalidInputException(
          workflowId,
          "is nested more than "
              + AgentRuntime.MAX_INPUT_DEPTH
              + " levels deep; at most "
              + AgentRuntime.MAX_INPUT_DEPTH
              + " levels of arrays and objects are accepted "
              + "(flatten it)");
    }
    if (bound > AgentRuntime.MAX_INPUT_BYTES && largerThan(input, AgentRuntime.MAX_INPUT_BYTES)) {
      throw new InvalidInputException(
          workflowId,
          "is larger than "
              + mebibytes(AgentRuntime.MAX_INPUT_BYTES)
              + " as JSON; pass large data by reference (such as a file path or URL in the input)");
    }
  }

  static String mebibytes(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
  }

  /**
   * An upper bound of the bytes {@code root} takes as JSON (UTF-8), or -1 if arrays and objects
   * nest more than {@code maxDepth} levels. Iterative, so any depth is safe.
   */
  private static long boundedSize(JsonNode root, int maxDepth) {
    if (!root.isContainerNode()) return bound(root);
    if (maxDepth < 1) return -1;
    long bytes = 2;
    Deque<Iterator<Map.Entry<String, JsonNode>>> objects = new ArrayDeque<>();
    Deque<Iterator<JsonNode>> arrays = new ArrayDeque<>();
    // one stack of open containers: each level holds either an object's or an array's iterator
    Deque<Boolean> isObject = new ArrayDeque<>();
    open(root, objects, arrays, isObject);
    while (!isObject.isEmpty()) {
      JsonNode child;
      if (isObject.peek()) {
        Iterator<Map.Entry<String, JsonNode>> it = objects.peek();
        if (!it.hasNext()) {
          objects.pop();
          isObject.pop();
          continue;
        }
        Map.Entry<String, JsonNode> e = it.next();
        bytes += 6L * e.getKey().length() + 4; // "key": and a comma
        child = e.getValue();
      } else {
        Iterator<JsonNode> it = arrays.peek();
        if (!it.hasNext()) {
          arrays.pop();
          isObject.pop();
          continue;
        }
        child = it.next();
        bytes += 1; // a comma
      }
      if (child.isContainerNode()) {
        if (isObject.size() >= maxDepth) return -1;
        bytes += 2;
        open(child, objects, arrays, isObject);
      } else {
        bytes += bound(child);
      }
    }
    return bytes;
  }

  private static void open(
      JsonNode container,
      Deque<Iterator<Map.Entry<String, JsonNode>>> objects,
      Deque<Iterator<JsonNode>> arrays,
      Deque<Boolean> isObject) {
    if (container.isObject()) {
      objects.push(container.properties().iterator());
      isObject.push(Boolean.TRUE);
    } else {
      arrays.push(container.elements());
      isObject.push(Boolean.FALSE);
    }
  }

  /** An upper bound of a scalar's JSON bytes: a string's characters escaped as \\uXXXX at worst. */
  private static long bound(JsonNode scalar) {
    if (scalar.isTextual()) return 6L * scalar.textValue().length() + 2;
    if (scalar.isNumber() || scalar.isBinary())
      return scalar.isBinary() ? 2L * scalar.asText().length() + 2 : scalar.asText().length();
    return 5; // true, false, null
  }

  /**
   * Whether {@code value} written as JSON (UTF-8) takes more than {@code max} bytes; stops counting
   * past it.
   */
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
