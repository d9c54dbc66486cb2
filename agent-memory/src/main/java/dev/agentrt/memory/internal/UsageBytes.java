package dev.agentrt.memory.internal;

import dev.agentrt.core.BudgetUsage;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BudgetUsage} in a few bytes, as the {@code usage} column of steps and calls holds it
 * (schema 4): a step's usage is one hop and the run's elapsed time, so it takes 3 to 6 bytes where
 * its JSON took 30.
 *
 * <p>The encoding: a mask byte, then, for each bit set in it, in bit order, a value. Bits 0 to 5
 * are {@code hops}, {@code input_tokens}, {@code output_tokens}, {@code cost_usd}, {@code
 * llm_calls}, {@code tool_calls}; bit 6 is {@code elapsed} in nanoseconds and bit 7 {@code elapsed}
 * in whole milliseconds (at most one of them). A counter or the elapsed time is a zigzag LEB128
 * varint; the cost is the 8 bytes of its IEEE 754 bits, big-endian (exact, NaN included). A zero
 * field has no bit; a usage that is all zero is no bytes at all ({@code null}: SQL NULL).
 */
final class UsageBytes {
  private static final int COST = 3;
  private static final int ELAPSED_NS = 6;
  private static final int ELAPSED_MS = 7;
  private static final long NANOS_PER_MILLI = 1_000_000;

  private UsageBytes() {}

  /** The bytes of {@code u}, or null if every field is zero. */
  static byte @Nullable [] encode(BudgetUsage u) {
    long elapsed = Codec.nanos(u.elapsed());
    long[] fields = {
      u.hops(),
      u.inputTokens(),
      u.outputTokens(),
      Double.doubleToRawLongBits(u.costUsd()),
      u.llmCalls(),
      u.toolCalls(),
      elapsed % NANOS_PER_MILLI == 0 ? 0 : elapsed,
      elapsed % NANOS_PER_MILLI == 0 ? elapsed / NANOS_PER_MILLI : 0
    };
    int mask = 0;
    for (int bit = 0; bit < fields.length; bit++) if (fields[bit] != 0) mask |= 1 << bit;
    if (mask == 0) return null;
    byte[] out = new byte[1 + 7 * 10 + 8]; // a varint of a long takes at most 10 bytes
    int n = 0;
    out[n++] = (byte) mask;
    for (int bit = 0; bit < fields.length; bit++) {
      if ((mask & (1 << bit)) == 0) continue;
      if (bit == COST) {
        for (int shift = 56; shift >= 0; shift -= 8) out[n++] = (byte) (fields[bit] >>> shift);
      } else {
        long v = (fields[bit] << 1) ^ (fields[bit] >> 63); // zigzag
        while ((v & ~0x7FL) != 0) {
          out[n++] = (byte) ((v & 0x7F) | 0x80);
          v >>>= 7;
        }
        out[n++] = (byte) v;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The usage of {@code bytes} ({@link BudgetUsage#ZERO} for null).
   *
   * @throws IllegalArgumentException if they are not an encoding of this version, saying why
   */
  static BudgetUsage decode(byte @Nullable [] bytes) {
    if (bytes == null) return BudgetUsage.ZERO;
    if (bytes.length == 0) throw new IllegalArgumentException("empty");
    int mask = bytes[0] & 0xFF;
    if ((mask & (1 << ELAPSED_NS)) != 0 && (mask & (1 << ELAPSED_MS)) != 0)
      throw new IllegalArgumentException("two elapsed times");
    long[] fields = new long[8];
    int pos = 1;
    for (int bit = 0; bit < fields.length; bit++) {
      if ((mask & (1 << bit)) == 0) continue;
      if (bit == COST) {
        if (pos + 8 > bytes.length) throw new IllegalArgumentException("truncated cost");
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = (bits << 8) | (bytes[pos++] & 0xFF);
        fields[bit] = bits;
      } else {
        long v = 0;
        int shift = 0;
        while (true) {
          if (pos >= bytes.length || shift > 63)
            throw new IllegalArgumentException("truncated value of field " + bit);
          byte b = bytes[pos++];
          v |= (long) (b & 0x7F) << shift;
          if ((b & 0x80) == 0) break;
          shift += 7;
        }
        fields[bit] = (v >>> 1) ^ -(v & 1);
      }
    }
    if (pos != bytes.length)
      throw new IllegalArgumentException((bytes.length - pos) + " trailing bytes");
    long elapsedNs =
        (mask & (1 << ELAPSED_MS)) != 0
            ? Math.multiplyExact(fields[ELAPSED_MS], NANOS_PER_MILLI)
            : fields[ELAPSED_NS];
    return new BudgetUsage(
        fields[0],
        fields[1],
        fields[2],
        Double.longBitsToDouble(fields[COST]),
        fields[4],
        fields[5],
        Duration.ofNanos(elapsedNs));
  }
}
