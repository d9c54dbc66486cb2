package dev.agentrt.tools.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@code tests.run}: runs the configured test command in the workspace (no shell, scrubbed
 * environment, timeout) and reads the JUnit XML reports it wrote or changed into totals and
 * failures. The command leads a session of its own; on timeout or cancellation it is killed with
 * every process it started ({@link Processes#kill}). Calls in one workspace run one at a time: they
 * share its build output, and each reads only the reports written while it ran.
 */
public final class TestsRunTool implements Tool {
  /**
   * One lock per workspace (real path), held while a call runs its command and reads its reports.
   */
  private static final ConcurrentMap<Path, ReentrantLock> WORKSPACES = new ConcurrentHashMap<>();

  static final List<String> DEFAULT_COMMAND = List.of("mvn", "-q", "test");
  static final List<String> DEFAULT_REPORTS =
      List.of(
          "**/surefire-reports/TEST-*.xml",
          "**/failsafe-reports/TEST-*.xml",
          "**/test-results/**/TEST-*.xml");
  static final List<String> DEFAULT_ENV =
      List.of(
          "PATH",
          "HOME",
          "USER",
          "LANG",
          "LC_ALL",
          "TMPDIR",
          "JAVA_HOME",
          "MAVEN_HOME",
          "M2_HOME",
          "MAVEN_OPTS",
          "GRADLE_USER_HOME");
  static final int OUTPUT_TAIL_BYTES = 4096;

  record RunArgs(
      @JsonPropertyDescription(
              "The command to run, as a list (no shell); must be one of policy.tools.tests.run.commands; default the configured command")
          @Nullable List<String> command) {}

  private static final ToolDescriptor DESCRIPTOR =
      new ToolDescriptor(
          "tests.run",
          "Runs the project's tests with the configured command and returns passed/failed/skipped totals and each failure's message and location.",
          ToolSchemas.of(RunArgs.class),
          Set.of("process"),
          Effect.IDEMPOTENT,
          List.of("tests"));

  /** Runs when a call finds another call running in its workspace and waits for it; for tests. */
  private final Runnable onWait;

  public TestsRunTool() {
    this(() -> {});
  }

  TestsRunTool(Runnable onWait) {
    this.onWait = onWait;
  }

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext ctx)
      throws IOException, InterruptedException {
    RunArgs a = call.argumentsAs(RunArgs.class);
    JsonNode s = ctx.settings();
    List<String> configured = s.has("command") ? strings(s.get("command")) : DEFAULT_COMMAND;
    List<List<String>> allowed = new ArrayList<>();
    allowed.add(configured);
    for (JsonNode c : s.path("commands")) allowed.add(strings(c));
    List<String> command = a.command() == null ? configured : a.command();
    if (!allowed.contains(command)) {
      return ToolResult.failure(
          "command "
              + command
              + " is not allowed (allowed: "
              + allowed
              + "; add it to policy.tools.tests.run.commands in config.yml)");
    }
    if (command.isEmpty())
      return ToolResult.failure("the command is empty (set policy.tools.tests.run.command)");
    List<String> reportGlobs = s.has("reports") ? strings(s.get("reports")) : DEFAULT_REPORTS;
    List<String> env = new ArrayList<>(DEFAULT_ENV);
    for (JsonNode e : s.path("env")) env.add(e.asText());
    Path ws = ctx.workspace();
    // checked here: under setsid, a missing program would only show as setsid's exit code
    if (Processes.executable(
            command.get(0), ws, env.contains("PATH") ? System.getenv("PATH") : null)
        .isEmpty()) {
      return ToolResult.failure(
          "command '"
              + command.get(0)
              + "' could not be started: "
              + (command.get(0).contains("/")
                  ? "no executable file '" + command.get(0) + "'"
                  : "no executable '" + command.get(0) + "' on PATH")
              + " (is it installed and on PATH?)");
    }
    // stop the command a little before the bus's deadline, so the result can say it timed out
    Duration left = Duration.between(ctx.clock().instant(), ctx.deadline());
    // (a third of the time, at most 5 s: killing a tree, reading reports and answering take time on
    // a busy machine)
    Duration margin =
        left.dividedBy(3).compareTo(Duration.ofSeconds(5)) > 0
            ? Duration.ofSeconds(5)
            : left.dividedBy(3);
    Instant deadline = ctx.deadline().minus(margin);

    ReentrantLock lock = WORKSPACES.computeIfAbsent(ws, k -> new ReentrantLock());
    if (!lock.tryLock()) {
      onWait.run();
      long wait = Duration.between(ctx.clock().instant(), deadline).toMillis();
      if (wait <= 0 || !lock.tryLock(wait, TimeUnit.MILLISECONDS)) {
        return ToolResult.failure(
            "another tests.run call is still running in workspace '"
                + ws
                + "' (calls in one workspace run one at a time; raise policy.tools.tests.run.timeout in config.yml to wait longer)");
      }
    }
    try {
      return run(command, reportGlobs, env, ws, deadline, margin, ctx);
    } finally {
      lock.unlock();
    }
  }

  private ToolResult run(
      List<String> command,
      List<String> reportGlobs,
      List<String> env,
      Path ws,
      Instant deadline,
      Duration margin,
      ToolContext ctx)
      throws IOException, InterruptedException {
    Map<Path, FileTime> before = reports(ws, reportGlobs);
    ProcessBuilder pb =
        new ProcessBuilder(Processes.inOwnSession(command))
            .directory(ws.toFile())
            .redirectErrorStream(true);
    Processes.scrubEnvironment(pb, env, System.getenv());
    String marker = UUID.randomUUID().toString(); // finds the command's processes that detach
    pb.environment().put(Processes.MARKER_VARIABLE, marker);
    Path out = Files.createTempFile("agentrt-tests", ".log");
    pb.redirectOutput(out.toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Files.deleteIfExists(out);
      return ToolResult.failure(
          "command '"
              + command.get(0)
              + "' could not be started: "
              + e.getMessage()
              + " (is it installed and on PATH?)");
    }
    Processes.Watch watchdog = Processes.killAt(p, deadline, ctx.clock(), marker);
    int exit;
    boolean timedOut;
    String tail;
    try {
      exit = p.waitFor();
      timedOut = watchdog.fired();
      // the command is dead; let the sweep finish with its children while the bus still waits for
      // the result
      Duration sweep =
          Duration.between(ctx.clock().instant(), ctx.deadline().minus(margin.dividedBy(2)));
      watchdog.awaitKilled(sweep.compareTo(Processes.KILL_WAIT) < 0 ? sweep : Processes.KILL_WAIT);
      tail = tail(out);
    } catch (InterruptedException e) {
      Processes.kill(p, marker); // cancelled: the bus interrupted this thread
      throw e;
    } finally {
      watchdog.cancel();
      if (p.isAlive()) Processes.kill(p, marker);
      Files.deleteIfExists(out);
    }

    Map<Path, FileTime> after = reports(ws, reportGlobs);
    JUnitReports.Totals t = new JUnitReports.Totals();
    for (Map.Entry<Path, FileTime> e : after.entrySet()) {
      if (e.getValue().equals(before.get(e.getKey()))) continue; // left over from an earlier run
      JUnitReports.read(e.getKey(), ws.relativize(e.getKey()).toString(), t);
    }
    ObjectNode o = FsTools.NODES.objectNode();
    ArrayNode cmd = o.putArray("command");
    command.forEach(cmd::add);
    o.put("exit_code", exit);
    o.put("timed_out", timedOut);
    o.put("passed", t.passed());
    o.put("failed", t.failed);
    o.put("errors", t.errors);
    o.put("skipped", t.skipped);
    o.put("total", t.tests);
    o.put("reports", t.reports);
    ArrayNode fs = o.putArray("failures");
    for (JUnitReports.Failure f : t.failures) {
      ObjectNode x = fs.addObject();
      x.put("class", f.className());
      x.put("name", f.name());
      x.put("kind", f.kind());
      x.put("type", f.type());
      x.put("message", f.message());
      x.put("location", f.location());
    }
    o.put("output_tail", tail);
    return ToolResult.success(o);
  }

  private static List<String> strings(JsonNode n) {
    List<String> l = new ArrayList<>();
    for (JsonNode x : n) l.add(x.asText());
    return l;
  }

  private static Map<Path, FileTime> reports(Path ws, List<String> globs) throws IOException {
    List<PathMatcher> ms = new ArrayList<>();
    for (String g : globs) {
      ms.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
      if (g.startsWith("**/"))
        ms.add(FileSystems.getDefault().getPathMatcher("glob:" + g.substring(3)));
    }
    Map<Path, FileTime> found = new HashMap<>();
    Files.walkFileTree(
        ws,
        Set.of(),
        32,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            String n = d.getFileName() == null ? "" : d.getFileName().toString();
            return n.equals(".git") || n.equals("node_modules")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
            Path rel = ws.relativize(f);
            for (PathMatcher m : ms) {
              if (m.matches(rel)) {
                found.put(f, attrs.lastModifiedTime());
                break;
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return new java.util.TreeMap<>(found);
  }

  private static String tail(Path out) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - OUTPUT_TAIL_BYTES);
      byte[] b = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
