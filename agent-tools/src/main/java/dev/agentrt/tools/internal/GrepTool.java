package dev.agentrt.tools.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * {@code grep}: searches files of the workspace for a regular expression. Uses ripgrep when
 * {@code rg} is on {@code PATH} (or {@code policy.tools.grep.engine: ripgrep}), otherwise a Java
 * implementation; both search the same files (hidden ones included, {@code .git} skipped, links
 * not followed, files with a NUL byte skipped) and return the same matches, sorted by path and
 * line.
 */
public final class GrepTool implements Tool {
  static final int DEFAULT_MAX_MATCHES = 200;
  static final int HARD_MAX_MATCHES = 100_000;
  static final int MAX_LINE_CHARS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  record GrepArgs(
      @JsonPropertyDescription("Regular expression to search for (or literal text with fixed_strings)") String pattern,
      @JsonPropertyDescription("File or directory to search, relative to the workspace; default the whole workspace") @Nullable String path,
      @JsonPropertyDescription("Only search files matching this glob: *.java matches file names, src/**/*.java paths relative to the workspace")
      @Nullable String glob,
      @JsonPropertyDescription("Match case-insensitively; default false") @Nullable Boolean ignoreCase,
      @JsonPropertyDescription("Treat the pattern as literal text; default false") @Nullable Boolean fixedStrings,
      @JsonPropertyDescription("Most matches to return; default 200") @Nullable Integer maxMatches) {}

  /** One match. */
  record Match(String path, int line, String text) {}

  private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor("grep",
      "Searches the workspace's files for a regular expression and returns matching lines with their paths and line numbers.",
      ToolSchemas.of(GrepArgs.class), Set.of("fs.read"), Effect.NONE);

  private final Optional<Path> ripgrep;

  public GrepTool() {
    this(Processes.onPath("rg", System.getenv("PATH")));
  }

  /** @param ripgrep the {@code rg} executable to use when the engine is {@code auto}, or empty for Java */
  GrepTool(Optional<Path> ripgrep) {
    this.ripgrep = ripgrep;
  }

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException, InterruptedException {
    GrepArgs a = call.argumentsAs(GrepArgs.class);
    boolean ignoreCase = Boolean.TRUE.equals(a.ignoreCase());
    boolean fixed = Boolean.TRUE.equals(a.fixedStrings());
    Pattern pattern;
    try {
      pattern = Pattern.compile(fixed ? Pattern.quote(a.pattern()) : a.pattern(),
          ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (PatternSyntaxException e) {
      return ToolResult.failure("pattern '" + a.pattern() + "' is not a valid regular expression: "
          + e.getDescription() + " near index " + e.getIndex());
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
    int max = Math.max(1, Math.min(a.maxMatches() == null ? DEFAULT_MAX_MATCHES : a.maxMatches(),
        FsTools.intSetting(ctx, "max_matches", 10_000)));
    String engine = ctx.settings().path("engine").asText("auto");
    Optional<Path> rg = switch (engine) {
      case "java" -> Optional.empty();
      case "ripgrep" -> ripgrep.or(() -> Optional.of(Path.of("rg")));
      default -> ripgrep;
    };
    List<Match> matches = new ArrayList<>();
    String used;
    if (rg.isPresent()) {
      used = "ripgrep";
      String err = ripgrep(rg.get(), a.pattern(), ignoreCase, fixed, a.glob(), start, sb, matches, ctx);
      if (err != null) return ToolResult.failure(err);
    } else {
      used = "java";
      java(pattern, glob, start, sb, matches, ctx);
    }
    if (ctx.isCancelled()) return ToolResult.failure("grep was cancelled or timed out before it finished");
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
    return ToolResult.success(out);
  }

  static String clip(String line) {
    String s = line;
    if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
    if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
    return s.length() > MAX_LINE_CHARS ? s.substring(0, MAX_LINE_CHARS) + "..." : s;
  }

  // ------------------------------------------------------------------ Java

  static void java(Pattern pattern, FsTools.@Nullable Glob glob, Path start, Sandbox sb, List<Match> out, ToolContext ctx)
      throws IOException {
    Files.walkFileTree(start, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        if (ctx.isCancelled() || out.size() >= HARD_MAX_MATCHES) return FileVisitResult.TERMINATE;
        return d.getFileName() != null && d.getFileName().toString().equals(".git") && !d.equals(start)
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
        if (glob != null && !f.equals(start) && !glob.matchesFile(sb.root().relativize(f))) return FileVisitResult.CONTINUE;
        try {
          search(pattern, f, sb.relative(f), out);
        } catch (IOException e) {
          // unreadable files are skipped, as ripgrep skips them
        }
        return out.size() >= HARD_MAX_MATCHES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void search(Pattern pattern, Path f, String rel, List<Match> out) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    for (byte b : bytes) {
      if (b == 0) return;
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    String text = dec.decode(ByteBuffer.wrap(bytes)).toString();
    Matcher m = pattern.matcher("");
    int line = 1;
    int from = 0;
    int n = text.length();
    while (from < n) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 ? n : nl;
      String s = text.substring(from, to);
      if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
      if (m.reset(s).find()) out.add(new Match(rel, line, clip(s)));
      line++;
      from = to + 1;
    }
  }

  // ------------------------------------------------------------------ ripgrep

  private static @Nullable String ripgrep(Path rg, String pattern, boolean ignoreCase, boolean fixed, @Nullable String glob,
      Path start, Sandbox sb, List<Match> out, ToolContext ctx) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(rg.toString(), "--json", "--no-config", "--hidden", "--no-ignore",
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
      return "ripgrep could not be started (" + e.getMessage() + "; set policy.tools.grep.engine: java to use the Java search)";
    }
    Processes.Watch watchdog = Processes.killAt(p, ctx.deadline(), ctx.clock());
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (out.size() >= HARD_MAX_MATCHES) {
          Processes.kill(p);
          break;
        }
        if (!line.startsWith("{\"type\":\"match\"")) continue;
        JsonNode data = JSON.readTree(line).path("data");
        String path = text(data.path("path"));
        Path abs = Path.of(path);
        String rel = sb.relative(abs.isAbsolute() ? abs : sb.root().resolve(abs));
        out.add(new Match(rel, data.path("line_number").asInt(), clip(text(data.path("lines")))));
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

  private static String text(JsonNode n) {
    if (n.has("text")) return n.path("text").asText();
    byte[] b = Base64.getDecoder().decode(n.path("bytes").asText(""));
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return dec.decode(ByteBuffer.wrap(b)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }
}
