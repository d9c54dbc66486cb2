package dev.agentrt.memory.internal.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vectors as bytes: little-endian IEEE floats, four bytes each. */
final class Vectors {
  private Vectors() {}

  static byte[] bytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return b.array();
  }

  static float[] floats(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0)
      throw new IllegalArgumentException("a vector of " + bytes.length + " bytes is truncated");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.length / Float.BYTES];
    for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
    return v;
  }
}
