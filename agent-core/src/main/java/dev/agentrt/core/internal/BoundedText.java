package dev.agentrt.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a text file that configuration names: a regular file only (a device such as {@code
 * /dev/zero} or a FIFO is refused before it is opened, so nothing blocks), at most a limit of bytes
 * (checked on the size and again while reading, so a growing file cannot get past it), and strict
 * UTF-8 (a malformed byte is reported with its line and column, not replaced).
 */
final class BoundedText {
  private BoundedText() {}

  /**
   * Why a file could not be read as text; {@code line} and {@code column} are 0 when not about a
   * position.
   */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    Problem(int line, int column, String message) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  /**
   * The file's text.
   *
   * @param limitHint what follows "more than the limit of N" in the message: what the file is and
   *     how to raise the limit
   * @throws Problem if the file is not a regular file, is larger than {@code maxBytes}, or is not
   *     UTF-8
   * @throws IOException if it cannot be read
   */
  static String read(Path file, long maxBytes, String limitHint) throws Problem, IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attrs.isRegularFile()) {
      throw new Problem(
          0,
          0,
          "is not a regular file ("
              + (attrs.isDirectory() ? "a directory" : "a device, FIFO or socket")
              + "); name a regular file");
    }
    if (attrs.size() > maxBytes) throw tooLarge(attrs.size(), maxBytes, limitHint);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    }
    if (bytes.length > maxBytes)
      throw tooLarge(Math.max(attrs.size(), bytes.length), maxBytes, limitHint);
    return decode(bytes);
  }

  private static Problem tooLarge(long size, long max, String limitHint) {
    return new Problem(
        0, 0, "the file has " + size + " bytes, more than the limit of " + max + limitHint);
  }

  /**
   * Strict UTF-8: the first malformed byte is reported with the line and column (in characters)
   * where it sits.
   */
  static String decode(byte[] bytes) throws Problem {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) r = d.flush(out);
    if (r.isError()) {
      int at = in.position();
      out.flip();
      String before = out.toString();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < before.length(); i++) {
        if (before.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new Problem(
          line,
          before.length() - lineStart + 1,
          "invalid UTF-8 (byte 0x"
              + String.format("%02x", bytes[at] & 0xff)
              + "); save the file as UTF-8");
    }
    out.flip();
    return out.toString();
  }
}
