package dev.agentrt.tools.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The file tools: {@code fs.read}, {@code fs.write}, {@code fs.list}. */
public final class FsTools {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private FsTools() {}

  static Sandbox sandbox(ToolContext ctx) {
    return new Sandbox(ctx.workspace());
  }

  /**
   * The positive whole number {@code policy.tools.<tool>.<key>}, or {@code dflt} if it is not set.
   *
   * @throws IllegalArgumentException naming the setting if it is set to anything else (the bus
   *     refuses such a policy when it is built; this guards a context made elsewhere)
   */
  static int intSetting(ToolContext ctx, String tool, String key, int dflt) {
    JsonNode v = ctx.settings().get(key);
    if (v == null) return dflt;
    if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() > 0) return v.asInt();
    throw new IllegalArgumentException(
        "policy.tools."
            + tool
            + "."
            + key
            + ": '"
            + (v.isTextual() ? v.asText() : v.toString())
            + "' is not a positive whole number");
  }

  static boolean boolSetting(ToolContext ctx, String key) {
    return ctx.settings().path(key).asBoolean(false);
  }

  /** Whether the first bytes of a file contain a NUL byte. */
  static boolean looksBinary(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] b = in.readNBytes(8192);
      for (byte x : b) {
        if (x == 0) return true;
      }
      return false;
    }
  }

  // ------------------------------------------------------------------ fs.read

  record ReadArgs(
      @JsonPropertyDescription(
              "File to read, relative to the workspace (for example src/Main.java)")
          String path,
      @JsonPropertyDescription("First line to return, counting from 1; default 1")
          @Nullable Integer startLine,
      @JsonPropertyDescription("Last line to return, inclusive; default: the end of the file")
          @Nullable Integer endLine) {}

  /** {@code fs.read}: lines of a text file. */
  public static final class ReadTool implements Tool {
    static final int DEFAULT_MAX_BYTES = 256 * 1024;
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "fs.read",
            "Reads a text file in the workspace, optionally a range of lines. Returns the lines and the file's total line count.",
            ToolSchemas.of(ReadArgs.class),
            Set.of("fs.read"),
            Effect.NONE,
            List.of("files"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException {
      ReadArgs a = call.argumentsAs(ReadArgs.class);
      int start = a.startLine() == null ? 1 : a.startLine();
      int end = a.endLine() == null ? Integer.MAX_VALUE : a.endLine();
      if (start < 1) return ToolResult.failure("start_line must be 1 or more, got " + start);
      if (end < start)
        return ToolResult.failure("end_line (" + end + ") is before start_line (" + start + ")");
      Sandbox sb = sandbox(ctx);
      Path p;
      try {
        p = sb.resolve(a.path(), Sandbox.Access.READ);
      } catch (Sandbox.Refused e) {
        return ToolResult.failure(e.getMessage());
      }
      String shown = Sandbox.show(a.path());
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        return ToolResult.failure(
            "path '" + shown + "': no such file (list the directory with fs.list)");
      }
      if (attrs.isDirectory())
        return ToolResult.failure("path '" + shown + "' is a directory (use fs.list)");
      if (!attrs.isRegularFile())
        return ToolResult.failure("path '" + shown + "' is refused: it is not a regular file");
      try {
        Sandbox.checkHardLinks(a.path(), p, "fs.read", boolSetting(ctx, "allow_hard_links"));
      } catch (Sandbox.Refused e) {
        return ToolResult.failure(e.getMessage());
      }
      if (looksBinary(p))
        return ToolResult.failure(
            "path '" + shown + "' is a binary file (fs.read reads text only)");
      int maxBytes = intSetting(ctx, "fs.read", "max_bytes", DEFAULT_MAX_BYTES);
      LineScan scan = new LineScan(start, end, maxBytes);
      try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[64 * 1024];
        long offset = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
          if (ctx.isCancelled())
            return ToolResult.failure("fs.read of '" + shown + "' was cancelled");
          int nul = scan.feed(buf, n);
          if (nul >= 0) {
            return ToolResult.failure(
                "path '"
                    + shown
                    + "' is a binary file (a NUL byte at offset "
                    + (offset + nul)
                    + "; fs.read reads text only)");
          }
          offset += n;
        }
      }
      scan.finish();
      int line = scan.lines;
      int last = scan.last;
      boolean truncated = scan.truncated;
      StringBuilder content = scan.content;
      if (start > line && line > 0) {
        return ToolResult.failure(
            "start_line "
                + start
                + " is past the end of '"
                + shown
                + "', which has "
                + line
                + " lines");
      }
      ObjectNode o = NODES.objectNode();
      o.put("path", sb.relative(p));
      o.put("start_line", start);
      o.put("end_line", last);
      o.put("total_lines", line);
      o.put("content", content.toString());
      o.put("truncated", truncated);
      if (truncated) {
        o.put(
            "note",
            (scan.cutLine > 0
                    ? "line "
                        + scan.cutLine
                        + " is longer than "
                        + maxBytes
                        + " bytes and was cut; "
                    : "")
                + "stopped at "
                + maxBytes
                + " bytes; read the rest with start_line "
                + (last + 1));
      }
      return ToolResult.success(o);
    }
  }

  /**
   * Splits a byte stream into lines (ended by LF, CR LF or CR, like {@code
   * BufferedReader.readLine}) with bounded memory: only the lines in {@code [start, end]} are kept,
   * and only up to {@code maxBytes} in total; a first kept line longer than that is cut (at a
   * character boundary).
   */
  static final class LineScan {
    private final int start;
    private final int end;
    private final int maxBytes;
    final StringBuilder content = new StringBuilder();
    int lines;
    int last;
    int cutLine;
    boolean truncated;
    private long used;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private boolean lineOverflow;
    private boolean pending; // bytes of an unterminated line were seen
    private boolean afterCr;

    LineScan(int start, int end, int maxBytes) {
      this.start = start;
      this.end = end;
      this.maxBytes = maxBytes;
    }

    /** Feeds {@code n} bytes; returns the index of a NUL byte (and stops), or -1. */
    int feed(byte[] b, int n) {
      for (int i = 0; i < n; i++) {
        byte x = b[i];
        if (x == 0) return i;
        if (x == '\n' && afterCr) {
          afterCr = false;
          continue;
        }
        afterCr = x == '\r';
        if (x == '\n' || x == '\r') {
          endLine();
          continue;
        }
        pending = true;
        if (keeping() && !lineOverflow) {
          if (line.size() < maxBytes + 4) line.write(x);
          else lineOverflow = true;
        }
      }
      return -1;
    }

    void finish() {
      if (pending) endLine();
    }

    private boolean keeping() {
      int no = lines + 1;
      return no >= start && no <= end && !truncated;
    }

    private void endLine() {
      boolean keep = keeping();
      lines++;
      pending = false;
      if (keep) {
        String s = decode(line.toByteArray());
        long b = s.getBytes(StandardCharsets.UTF_8).length + 1L;
        if (used + b > maxBytes || lineOverflow) {
          truncated = true;
          if (used
              == 0) { // the first line alone is too long: show its beginning rather than nothing
            content.append(cut(s, maxBytes - 1)).append('\n');
            last = lines;
            cutLine = lines;
          }
        } else {
          used += b;
          content.append(s).append('\n');
          last = lines;
        }
      }
      line.reset();
      lineOverflow = false;
    }

    private static String decode(byte[] b) {
      CharsetDecoder dec =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE);
      try {
        return dec.decode(java.nio.ByteBuffer.wrap(b)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IllegalStateException("a replacing decoder cannot fail", e);
      }
    }

    /**
     * The longest prefix of {@code s} that is at most {@code max} bytes in UTF-8, not splitting a
     * surrogate pair.
     */
    static String cut(String s, int max) {
      int bytes = 0;
      int i = 0;
      while (i < s.length()) {
        int cp = s.codePointAt(i);
        int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (bytes + len > max) break;
        bytes += len;
        i += Character.charCount(cp);
      }
      return s.substring(0, i);
    }
  }

  // ------------------------------------------------------------------ fs.write

  enum Mode {
    @JsonProperty("create")
    CREATE,
    @JsonProperty("overwrite")
    OVERWRITE,
    @JsonProperty("append")
    APPEND
  }

  record WriteArgs(
      @JsonPropertyDescription("File to write, relative to the workspace") String path,
      @JsonPropertyDescription("The text to write (UTF-8)") String content,
      @JsonPropertyDescription(
              "create: fail if the file exists; overwrite (default): replace it; append: add to its end")
          @Nullable Mode mode,
      @JsonPropertyDescription("Create missing parent directories; default true")
          @Nullable Boolean createDirs) {}

  /** {@code fs.write}: writes a file atomically (temporary file, then rename). */
  public static final class WriteTool implements Tool {
    static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "fs.write",
            "Writes a text file in the workspace: creates, overwrites or appends. The write is atomic: readers see the old or the new file, never a part.",
            ToolSchemas.of(WriteArgs.class),
            Set.of("fs.write"),
            Effect.NON_IDEMPOTENT,
            List.of("files"));

    /** Runs between preparing the temporary file and committing it; for tests of races. */
    private final Runnable beforeCommit;

    public WriteTool() {
      this(() -> {});
    }

    WriteTool(Runnable beforeCommit) {
      this.beforeCommit = beforeCommit;
    }

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException {
      WriteArgs a = call.argumentsAs(WriteArgs.class);
      Mode mode = a.mode() == null ? Mode.OVERWRITE : a.mode();
      Sandbox sb = sandbox(ctx);
      Path p;
      try {
        p = sb.resolve(a.path(), Sandbox.Access.WRITE);
      } catch (Sandbox.Refused e) {
        return ToolResult.failure(e.getMessage());
      }
      String shown = Sandbox.show(a.path());
      if (p.equals(sb.root()) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return ToolResult.failure("path '" + shown + "' is a directory (give a file path)");
      }
      byte[] data = a.content().getBytes(StandardCharsets.UTF_8);
      int max = intSetting(ctx, "fs.write", "max_bytes", DEFAULT_MAX_BYTES);
      if (data.length > max) {
        return ToolResult.failure(
            "content is "
                + data.length
                + " bytes, more than the limit of "
                + max
                + " (raise policy.tools.fs.write.max_bytes in config.yml, or write in parts with mode append)");
      }
      boolean exists = Files.exists(p, LinkOption.NOFOLLOW_LINKS);
      if (mode == Mode.CREATE && exists) {
        return ToolResult.failure(
            "path '" + shown + "' already exists (use mode overwrite or append)");
      }
      if (mode == Mode.APPEND
          && exists) { // appending copies the file: through a hard link, a file from outside
        try {
          Sandbox.checkHardLinks(a.path(), p, "fs.write", boolSetting(ctx, "allow_hard_links"));
        } catch (Sandbox.Refused e) {
          return ToolResult.failure(e.getMessage());
        }
      }
      Path dir = p.getParent();
      if (!Files.isDirectory(dir)) {
        if (Boolean.FALSE.equals(a.createDirs())) {
          return ToolResult.failure(
              "directory '" + sb.relative(dir) + "' does not exist (set create_dirs: true)");
        }
        Files.createDirectories(dir);
        try {
          sb.recheck(a.path(), p);
        } catch (Sandbox.Refused e) {
          return ToolResult.failure(e.getMessage());
        }
      }
      Path tmp = Files.createTempFile(dir, "." + p.getFileName() + ".", ".tmp");
      try {
        long size;
        try (OutputStream out =
            Files.newOutputStream(
                tmp,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS)) {
          if (mode == Mode.APPEND && exists) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
              in.transferTo(out);
            }
          }
          out.write(data);
        }
        size = Files.size(tmp);
        permissions(exists ? p : null, tmp);
        beforeCommit.run();
        try {
          sb.recheck(a.path(), p);
        } catch (Sandbox.Refused e) {
          return ToolResult.failure(e.getMessage());
        }
        if (mode == Mode.CREATE && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          return ToolResult.failure(
              "path '" + shown + "' already exists (use mode overwrite or append)");
        }
        try {
          Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
          return ToolResult.failure(
              "path '" + shown + "' already exists (use mode overwrite or append)");
        }
        ObjectNode o = NODES.objectNode();
        o.put("path", sb.relative(p));
        o.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        o.put("bytes_written", data.length);
        o.put("size_bytes", size);
        o.put("created", !exists);
        return ToolResult.success(o);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }

    /**
     * Gives the new file the old file's permissions, or rw-r--r-- (temporary files start as
     * rw-------).
     */
    private static void permissions(@Nullable Path old, Path tmp) throws IOException {
      PosixFileAttributeView v =
          Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (v == null) return;
      Set<PosixFilePermission> perms =
          old != null
              ? Files.getPosixFilePermissions(old, LinkOption.NOFOLLOW_LINKS)
              : PosixFilePermissions.fromString("rw-r--r--");
      v.setPermissions(EnumSet.copyOf(perms));
    }
  }

  // ------------------------------------------------------------------ fs.list

  record ListArgs(
      @JsonPropertyDescription(
              "Directory to list, relative to the workspace; default the workspace itself")
          @Nullable String path,
      @JsonPropertyDescription(
              "Glob the entries' paths (relative to the directory) must match, such as *.java or src/**/*.java; a glob with / or ** lists subdirectories too")
          @Nullable String glob,
      @JsonPropertyDescription("Most entries to return; default 1000")
          @Nullable Integer maxEntries) {}

  /** {@code fs.list}: entries of a directory, optionally matching a glob. */
  public static final class ListTool implements Tool {
    static final int DEFAULT_MAX_ENTRIES = 1000;
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "fs.list",
            "Lists a directory of the workspace, optionally recursively with a glob. Links are listed, not followed.",
            ToolSchemas.of(ListArgs.class),
            Set.of("fs.read"),
            Effect.NONE,
            List.of("files"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException {
      ListArgs a = call.argumentsAs(ListArgs.class);
      String raw = a.path() == null ? "." : a.path();
      Sandbox sb = sandbox(ctx);
      Path dir;
      try {
        dir = raw.equals(".") ? sb.root() : sb.resolve(raw, Sandbox.Access.READ);
      } catch (Sandbox.Refused e) {
        return ToolResult.failure(e.getMessage());
      }
      String shown = Sandbox.show(raw);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return ToolResult.failure(
            Files.exists(dir)
                ? "path '" + shown + "' is not a directory (use fs.read)"
                : "path '" + shown + "': no such directory");
      }
      int max =
          Math.min(
              a.maxEntries() == null ? DEFAULT_MAX_ENTRIES : Math.max(1, a.maxEntries()),
              intSetting(ctx, "fs.list", "max_entries", 10_000));
      Glob glob;
      try {
        glob = a.glob() == null ? null : new Glob(a.glob());
      } catch (IllegalArgumentException e) {
        return ToolResult.failure("glob '" + a.glob() + "' is not valid: " + e.getMessage());
      }
      boolean deep = glob != null && glob.deep();
      List<Path> found = new ArrayList<>();
      Files.walkFileTree(
          dir,
          Set.of(),
          deep ? 64 : 1,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              if (ctx.isCancelled()) return FileVisitResult.TERMINATE;
              if (!d.equals(dir) && (glob == null || glob.matches(dir.relativize(d)))) found.add(d);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
              if (glob == null || glob.matches(dir.relativize(f))) found.add(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
      found.sort(null);
      ArrayNode entries = NODES.arrayNode();
      for (int i = 0; i < found.size() && i < max; i++) {
        Path f = found.get(i);
        BasicFileAttributes at =
            Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        ObjectNode e = entries.addObject();
        e.put("path", sb.relative(f));
        e.put(
            "type",
            at.isSymbolicLink()
                ? "link"
                : at.isDirectory() ? "dir" : at.isRegularFile() ? "file" : "other");
        if (at.isRegularFile()) e.put("size", at.size());
      }
      ObjectNode o = NODES.objectNode();
      o.put("path", sb.relative(dir));
      o.set("entries", entries);
      o.put("truncated", found.size() > max);
      return ToolResult.success(o);
    }
  }

  /**
   * A glob over relative paths, with gitignore's reading of {@code **}: {@code **}{@code /x} also
   * matches {@code x} at the top and {@code a/**}{@code /x} also matches {@code a/x}.
   */
  static final class Glob {
    private final List<PathMatcher> ms = new ArrayList<>();
    private final boolean deep;
    private final boolean byName;

    Glob(String glob) {
      Set<String> forms = new java.util.LinkedHashSet<>();
      forms.add(glob);
      forms.add(glob.replace("/**/", "/"));
      if (glob.startsWith("**/")) {
        forms.add(glob.substring(3));
        forms.add(glob.substring(3).replace("/**/", "/"));
      }
      for (String f : forms) ms.add(FileSystems.getDefault().getPathMatcher("glob:" + f));
      this.deep = glob.contains("/") || glob.contains("**");
      this.byName = !glob.contains("/");
    }

    boolean deep() {
      return deep;
    }

    boolean matches(Path rel) {
      for (PathMatcher m : ms) {
        if (m.matches(rel)) return true;
      }
      return false;
    }

    /** Matches the way ripgrep's -g does: a glob without / matches the file name at any depth. */
    boolean matchesFile(Path rel) {
      return matches(byName ? rel.getFileName() : rel);
    }
  }
}
