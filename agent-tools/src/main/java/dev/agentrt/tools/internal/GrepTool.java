package dev.agentrt.tools.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code grep}: searches files of the workspace for a regular expression. Uses ripgrep when {@code
 * rg} is on {@code PATH} (or {@code policy.tools.grep.engine: ripgrep}), otherwise a Java
 * implementation; both search the same files (hidden ones included, {@code .git} skipped, links not
 * followed, files with a NUL byte skipped) and return the same matches, sorted by path and line.
 * Patterns are compiled with RE2/J (linear time, so no pattern can make a search run away; its
 * syntax is close to ripgrep's). Files are streamed with bounded buffers: the Java search keeps at
 * most {@link #MAX_LINE_BYTES} of a line, and ripgrep's output is read without keeping its lines
 * (the text of a match is read back from the file, at most a few KiB).
 */
public final class GrepTool implements Tool {
  static final int DEFAULT_MAX_MATCHES = 200;
  static final int HARD_MAX_MATCHES = 100_000;
  static final int MAX_LINE_CHARS = 500;

  /**
   * The Java search matches at most this much of a line; the rest of a longer line is not searched
   * (noted).
   */
  static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  record GrepArgs(
      @JsonPropertyDescription(
              "Regular expression to search for (or literal text with fixed_strings)")
          String pattern,
      @JsonPropertyDescription(
              "File or directory to search, relative to the workspace; default the whole workspace")
          @Nullable String path,
      @JsonPropertyDescription(
              "Only search files matching this glob: *.java matches file names, src/**/*.java paths relative to the workspace")
          @Nullable String glob,
      @JsonPropertyDescription("Match case-insensitively; default false")
          @Nullable Boolean ignoreCase,
      @JsonPropertyDescription("Treat the pattern as literal text; default false")
          @Nullable Boolean fixedStrings,
      @JsonPropertyDescription("Most matches to return; default 200")
          @Nullable Integer maxMatches) {}

  /** One match. */
  record Match(String path, int line, String text) {}

  private static final ToolDescriptor DESCRIPTOR =
      new ToolDescriptor(
          "grep",
          "Searches the workspace's files for a regular expression and returns matching lines with their paths and line numbers.",
          ToolSchemas.of(GrepArgs.class),
          Set.of("fs.read"),
          Effect.NONE,
          List.of("files", "search"));

  private final Optional<Path> ripgrep;

  public GrepTool() {
    this(Processes.onPath("rg", System.getenv("PATH")));
  }

  /**
   * @param ripgrep the {@code rg} executable to use when the engine is {@code auto}, or empty for
   *     Java
   */
  GrepTool(Optional<Path> ripgrep) {
    this.ripgrep = ripgrep;
  }

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext ctx)
      throws IOException, InterruptedException {
    GrepArgs a = call.argumentsAs(GrepArgs.class);
    boolean ignoreCase = Boolean.TRUE.equals(a.ignoreCase());
    boolean fixed = Boolean.TRUE.equals(a.fixedStrings());
    Pattern pattern;
    try {
      pattern =
          Pattern.compile(
              fixed ? Pattern.quote(a.pattern()) : a.pattern(),
              ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    } catch (PatternSyntaxException e) {
      return ToolResult.failure(
          "pattern '"
              + Sandbox.show(a.pattern())
              + "' is not a valid regular expression: "
              + e.getDescription()
              + " (the syntax is RE2's, close to ripgrep's; use fixed_strings: true for literal text)");
    }
    Sandbox sb = new Sandbox(ctx.workspace());
    String raw = a.path() == null ? "." : a.path();
    Path start;
    try {
      start = raw.equals(".") ? sb.root() : sb.resolve(raw, Sandbox.Access.READ);
    } catch (Sandbox.Refused e) {
      return ToolResult.failure(e.getMessage());
    }
    if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
      return ToolResult.failure("path '" + Sandbox.show(raw) + "': no such file or directory");
    }
    FsTools.Glob glob;
    try {
      glob = a.glob() == null ? null : new FsTools.Glob(a.glob());
    } catch (IllegalArgumentException e) {
      return ToolResult.failure("glob '" + a.glob() + "' is not valid: " + e.getMessage());
    }
    int max =
        Math.max(
            1,
            Math.min(
                a.maxMatches() == null ? DEFAULT_MAX_MATCHES : a.maxMatches(),
                FsTools.intSetting(ctx, "grep", "max_matches", 10_000)));
    String engine = ctx.settings().path("engine").asText("auto");
    Optional<Path> rg =
        switch (engine) {
          case "java" -> Optional.empty();
          case "ripgrep" -> ripgrep.or(() -> Optional.of(Path.of("rg")));
          default -> ripgrep;
        };
    boolean allowHardLinks = FsTools.boolSetting(ctx, "allow_hard_links");
    if (!start.equals(sb.root())) {
      try {
        Sandbox.checkHardLinks(raw, start, "grep", allowHardLinks);
      } catch (Sandbox.Refused e) {
        return ToolResult.failure(e.getMessage());
      }
    }
    List<Match> matches = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String used;
    if (rg.isPresent()) {
      used = "ripgrep";
      String err =
          ripgrep(rg.get(), a.pattern(), ignoreCase, fixed, a.glob(), start, sb, matches, ctx);
      if (err != null) return ToolResult.failure(err);
    } else {
      used = "java";
      java(pattern, glob, start, sb, matches, notes, ctx);
    }
    if (ctx.isCancelled())
      return ToolResult.failure("grep was cancelled or timed out before it finished");
    if (!allowHardLinks) dropHardLinks(sb, matches, notes);
    matches.sort(Comparator.comparing(Match::path).thenComparingInt(Match::line));
    ArrayNode arr = FsTools.NODES.arrayNode();
    for (int i = 0; i < matches.size() && i < max; i++) {
      Match m = matches.get(i);
      ObjectNode o = arr.addObject();
      o.put("path", m.path());
      o.put("line", m.line());
      o.put("text", m.text());
    }
    ObjectNode out = FsTools.NODES.objectNode();
    out.set("matches", arr);
    out.put("truncated", matches.size() > max);
    out.put("engine", used);
    if (!notes.isEmpty()) {
      ArrayNode n = out.putArray("notes");
      notes.forEach(n::add);
    }
    return ToolResult.success(out);
  }

  /**
   * Removes the matches in files with more than one hard link, with a note naming them (both
   * engines).
   */
  private static void dropHardLinks(Sandbox sb, List<Match> matches, List<String> notes) {
    Map<String, Integer> links = new LinkedHashMap<>();
    for (Match m : matches) {
      links.computeIfAbsent(
          m.path(),
          rel -> {
            try {
              return Sandbox.linkCount(sb.root().resolve(rel));
            } catch (IOException e) {
              return 1;
            }
          });
    }
    Set<String> linked = new TreeSet<>();
    links.forEach(
        (rel, n) -> {
          if (n > 1) linked.add(rel);
        });
    if (linked.isEmpty()) return;
    matches.removeIf(m -> linked.contains(m.path()));
    notes.add(
        "skipped "
            + linked.size()
            + " hard-linked file"
            + (linked.size() == 1 ? "" : "s")
            + " ("
            + String.join(", ", linked)
            + "): their other names may be outside the workspace "
            + "(set policy.tools.grep.allow_hard_links: true in config.yml if the workspace uses hard links)");
  }

  static String clip(String line) {
    String s = line;
    if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
    if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
    return s.length() > MAX_LINE_CHARS ? s.substring(0, MAX_LINE_CHARS) + "..." : s;
  }

  // ------------------------------------------------------------------ Java

  static void java(
      Pattern pattern,
      FsTools.@Nullable Glob glob,
      Path start,
      Sandbox sb,
      List<Match> out,
      List<String> notes,
      ToolContext ctx)
      throws IOException {
    Files.walkFileTree(
        start,
        Set.of(),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (ctx.isCancelled() || out.size() >= HARD_MAX_MATCHES)
              return FileVisitResult.TERMINATE;
            return d.getFileName() != null
                    && d.getFileName().toString().equals(".git")
                    && !d.equals(start)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
            if (glob != null && !f.equals(start) && !glob.matchesFile(sb.root().relativize(f)))
              return FileVisitResult.CONTINUE;
            try {
              search(pattern, f, sb.relative(f), out, notes, ctx);
            } catch (IOException e) {
              // unreadable files are skipped, as ripgrep skips them
            }
            return ctx.isCancelled() || out.size() >= HARD_MAX_MATCHES
                ? FileVisitResult.TERMINATE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Searches one file line by line, streaming it through a fixed buffer. A file with a NUL byte is
   * binary and contributes nothing (its matches so far are dropped); of a line longer than {@link
   * #MAX_LINE_BYTES} only the beginning is searched, with a note.
   */
  static void search(
      Pattern pattern, Path f, String rel, List<Match> out, List<String> notes, ToolContext ctx)
      throws IOException {
    List<Match> found = new ArrayList<>();
    List<Integer> cut = new ArrayList<>();
    Matcher m = pattern.matcher("");
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean overflow = false;
    int lineNo = 1;
    try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buf = new byte[BUFFER_BYTES];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (ctx.isCancelled()) return;
        int from = 0;
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == 0) return; // binary
          if (b != '\n') continue;
          overflow |= append(line, buf, from, i);
          test(m, line, overflow, rel, lineNo, found, cut);
          line.reset();
          overflow = false;
          lineNo++;
          from = i + 1;
        }
        overflow |= append(line, buf, from, n);
      }
    }
    if (line.size() > 0 || overflow) test(m, line, overflow, rel, lineNo, found, cut);
    out.addAll(found);
    if (!cut.isEmpty()) {
      notes.add(
          "'"
              + rel
              + "': line"
              + (cut.size() == 1 ? " " : "s ")
              + cut.stream()
                  .limit(10)
                  .map(String::valueOf)
                  .reduce((x, y) -> x + ", " + y)
                  .orElse("")
              + (cut.size() > 10 ? ", ..." : "")
              + " longer than "
              + MAX_LINE_BYTES
              + " bytes: only the first "
              + MAX_LINE_BYTES
              + " bytes were searched");
    }
  }

  /**
   * Appends {@code buf[from, to)} to {@code line} up to {@link #MAX_LINE_BYTES}; whether bytes were
   * dropped.
   */
  private static boolean append(ByteArrayOutputStream line, byte[] buf, int from, int to) {
    int room = MAX_LINE_BYTES - line.size();
    int len = to - from;
    line.write(buf, from, Math.min(room, len));
    return len > room;
  }

  private static void test(
      Matcher m,
      ByteArrayOutputStream line,
      boolean overflow,
      String rel,
      int lineNo,
      List<Match> found,
      List<Integer> cut) {
    String s = decode(line.toByteArray());
    if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
    if (overflow) cut.add(lineNo);
    if (m.reset(s).find()) found.add(new Match(rel, lineNo, clip(s)));
  }

  private static String decode(byte[] b) {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return dec.decode(ByteBuffer.wrap(b)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }

  // ------------------------------------------------------------------ ripgrep

  private static @Nullable String ripgrep(
      Path rg,
      String pattern,
      boolean ignoreCase,
      boolean fixed,
      @Nullable String glob,
      Path start,
      Sandbox sb,
      List<Match> out,
      ToolContext ctx)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                rg.toString(),
                "--json",
                "--no-config",
                "--hidden",
                "--no-ignore",
                "--no-messages"));
    if (ignoreCase) cmd.add("--ignore-case");
    if (fixed) cmd.add("--fixed-strings");
    if (glob != null) {
      cmd.add("--glob");
      cmd.add(glob);
    }
    cmd.addAll(List.of("--glob", "!.git", "--regexp", pattern, "--", start.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(sb.root().toFile());
    Processes.scrubEnvironment(pb, List.of("PATH"), System.getenv());
    Path errFile = Files.createTempFile("agentrt-rg", ".err");
    pb.redirectError(errFile.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Files.deleteIfExists(errFile);
      return "ripgrep could not be started ("
          + e.getMessage()
          + "; set policy.tools.grep.engine: java to use the Java search)";
    }
    Processes.Watch watchdog = Processes.killAt(p, ctx.deadline(), ctx.clock());
    try (InputStream stdout = p.getInputStream();
        JsonParser json = JSON.getFactory().createParser(stdout);
        LineSource lines = new LineSource()) {
      // ripgrep prints one JSON object per line; a matched line can be any size, so its text is
      // never
      // read from the stream (the parser skips strings it is not asked for): it is read back from
      // the file
      JsonToken t;
      while ((t = json.nextToken()) != null) {
        if (out.size() >= HARD_MAX_MATCHES) {
          Processes.kill(p);
          break;
        }
        if (t != JsonToken.START_OBJECT) {
          json.skipChildren();
          continue;
        }
        String type = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          json.nextToken();
          if (field.equals("type")) {
            type = json.getText();
          } else if (field.equals("data") && "match".equals(type)) {
            Match m = match(json, sb, lines);
            if (m != null) out.add(m);
          } else {
            json.skipChildren();
          }
        }
      }
      int exit = p.waitFor();
      if (exit == 2 && out.isEmpty() && !ctx.isCancelled()) {
        String err = Files.readString(errFile, StandardCharsets.UTF_8).strip();
        if (!err.isEmpty()) return "ripgrep failed: " + clip(err);
      }
      return null;
    } finally {
      watchdog.cancel();
      if (p.isAlive()) Processes.kill(p);
      Files.deleteIfExists(errFile);
    }
  }

  /**
   * One {@code match} record's {@code data} object: path, line number and the line's offset in the
   * file.
   */
  private static @Nullable Match match(JsonParser json, Sandbox sb, LineSource lines)
      throws IOException {
    Path abs = null;
    int lineNo = -1;
    long offset = -1;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      switch (field) {
        case "path" -> {
          String path = text(JSON.readTree(json));
          Path p = Path.of(path);
          abs = p.isAbsolute() ? p : sb.root().resolve(p);
        }
        case "line_number" -> lineNo = json.getIntValue();
        case "absolute_offset" -> offset = json.getLongValue();
        default -> json.skipChildren(); // lines, submatches: skipped unread
      }
    }
    if (abs == null || lineNo < 0 || offset < 0) return null;
    return new Match(sb.relative(abs), lineNo, clip(lines.lineAt(abs, offset)));
  }

  /** Reads the beginning of a line of a file at a byte offset, keeping the last file open. */
  static final class LineSource implements AutoCloseable {
    private static final int READ_BYTES = 4 * (MAX_LINE_CHARS + 1) + 4;
    private @Nullable Path path;
    private @Nullable FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(READ_BYTES);

    String lineAt(Path file, long offset) throws IOException {
      if (!file.equals(path)) {
        close();
        channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        path = file;
      }
      buf.clear();
      FileChannel ch = channel;
      long pos = offset;
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) break;
        pos += n;
      }
      byte[] b = new byte[buf.position()];
      buf.flip();
      buf.get(b);
      int end = 0;
      while (end < b.length && b[end] != '\n') end++;
      return decode(java.util.Arrays.copyOf(b, end));
    }

    @Override
    public void close() throws IOException {
      if (channel != null) channel.close();
      channel = null;
      path = null;
    }
  }

  private static String text(JsonNode n) {
    if (n.has("text")) return n.path("text").asText();
    byte[] b = Base64.getDecoder().decode(n.path("bytes").asText(""));
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return dec.decode(ByteBuffer.wrap(b)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }
}
