package dev.agentrt.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.ResumeOptions;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.spi.RunListing;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.NonBlockingInputStream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt shell}: an interactive session on one runtime. Slash commands run, resume, list
 * and show runs; a plain line becomes a workflow's input through the active profile ({@link
 * ShellProfiles}); the session ({@link ShellSession}) survives restarts. A mistake prints a message
 * and the session goes on; end of input or {@code /quit} ends it with 0.
 */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    description = {
      "An interactive session: runs workflows from plain lines (through the profiles of"
          + " cli_profiles.yml) and slash commands (/help lists them), with history and tab"
          + " completion.",
      "The session (active profile, attachments, inputs and their run ids) is kept in a JSON file"
          + " across restarts."
    })
final class ShellCommand implements Callable<Integer> {
  static final String PROMPT = "agentrt> ";

  /** The slash commands and their one-line help, in the order /help lists them. */
  static final String[][] COMMANDS = {
    {
      "/run",
      "WORKFLOW [JSON|TEXT]",
      "run a workflow with a JSON object, or TEXT mapped by a profile"
    },
    {"/resume", "[RUN] [JSON]", "resume a waiting run (default: the last one waiting)"},
    {"/runs", "", "list the runs of the checkpoint store, newest first"},
    {"/show", "[RUN]", "print a run and its steps (default: the last run)"},
    {"/graph", "WORKFLOW", "print a workflow as a Mermaid diagram"},
    {"/attach", "[FILE]", "attach a file ({path, text}) to the next input; alone: list them"},
    {"/history", "", "the inputs of this session and their runs"},
    {"/retry", "", "run the last input again, as a new run"},
    {"/edit-last", "TEXT|+TEXT", "run the last input's text replaced by TEXT (+TEXT: appended)"},
    {"/profile", "[NAME]", "show the profiles, or switch to NAME"},
    {"/help", "", "this list"},
    {"/quit", "", "end the session (or Ctrl-D)"},
  };

  private static final long MAX_ATTACHMENT_BYTES = 1 << 20;

  private static final ObjectMapper PARSER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(AgentRuntime.MAX_INPUT_DEPTH)
                      .build())
              .build());

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--session",
      paramLabel = "FILE",
      description =
          "The session file (default: var/agentrt/shell-session.json beside the configuration"
              + " directory).")
  @Nullable Path sessionFile;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "Start with this profile active (default: the session's, else default:).")
  @Nullable String startProfile;

  /** The keyboard; tests and {@link Shell#run} replace it. */
  InputStream in = System.in;

  /** Where the terminal writes; tests and {@link Shell#run} replace it. */
  OutputStream out = System.out;

  private AgentRuntime rt;
  private ShellSession session;
  private ShellProfiles profiles = ShellProfiles.none();
  private PrintWriter w;
  private PrintWriter err;
  private CommandSpec printer;

  @Override
  public Integer call() throws IOException {
    err = spec.commandLine().getErr();
    Path session = sessionFile != null ? sessionFile : defaultSessionFile(config.dir);
    this.session = ShellSession.load(session);
    try (AgentRuntime runtime = config.open();
        Terminal terminal = terminal()) {
      rt = runtime;
      w = terminal.writer();
      CommandLine p = new CommandLine(CommandSpec.create());
      p.setOut(w);
      p.setErr(err);
      printer = p.getCommandSpec();
      loadProfiles();
      String saved = this.session.profile;
      if (startProfile != null) {
        try {
          switchProfile(startProfile);
        } catch (ShellError e) {
          error("--profile: " + e.getMessage());
        }
      }
      if (this.session.profile == null || !profiles.profiles().containsKey(this.session.profile))
        this.session.profile = profiles.defaultName();
      if (!java.util.Objects.equals(saved, this.session.profile)) {
        try {
          this.session.save(); // the profile chosen is the session's from now on
        } catch (AgentrtException e) {
          error(e.getMessage());
        }
      }
      String note = Runs.volatileStoreNote(rt);
      if (note != null)
        err.println("agentrt: runs of this session cannot be resumed later: " + note);
      err.flush();
      w.println(
          "agentrt shell: "
              + (this.session.profile == null
                  ? "no profile"
                  : "profile '" + this.session.profile + "'")
              + "; /help lists the commands, /quit ends.");
      w.flush();
      LineReader reader = reader(terminal);
      while (true) {
        String line;
        try {
          line = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue; // Ctrl-C drops the line
        } catch (EndOfFileException e) {
          break;
        }
        if (line == null) break;
        line = line.strip();
        if (line.isEmpty()) continue;
        if (!handle(line)) break;
        w.flush();
      }
      w.flush();
      return ExitCode.COMPLETED;
    }
  }

  /** The default session file: var/agentrt/shell-session.json beside the configuration dir. */
  static Path defaultSessionFile(Path configDir) {
    Path parent = configDir.toAbsolutePath().normalize().getParent();
    Path base = parent == null ? configDir.toAbsolutePath() : parent;
    return base.resolve("var/agentrt/shell-session.json");
  }

  private Terminal terminal() throws IOException {
    if (in == System.in && out == System.out && System.console() != null) {
      return TerminalBuilder.builder().name("agentrt").system(true).build();
    }
    // piped input (a script, a test): no terminal to drive, lines are read as they come
    return new DumbTerminal(
        "agentrt", Terminal.TYPE_DUMB, new PipedInput(in), out, StandardCharsets.UTF_8);
  }

  /**
   * Piped input read as it comes: JLine's own wrapper of a plain stream reads it on a thread of its
   * own, which outlives the session until the stream ends; lines that are typed ahead need no
   * timeouts.
   */
  private static final class PipedInput extends NonBlockingInputStream {
    private final InputStream in;
    private boolean peeked;
    private int next;

    PipedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(long timeout, boolean isPeek) throws IOException {
      if (!peeked) {
        next = in.read();
        peeked = true;
      }
      if (!isPeek) peeked = false;
      return next;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private LineReader reader(Terminal terminal) {
    DefaultParser parser = new DefaultParser();
    parser.setEofOnUnclosedQuote(false); // "don't" is a line, not the start of a quoted one
    parser.setEofOnEscapedNewLine(false);
    LineReader reader =
        LineReaderBuilder.builder()
            .appName("agentrt")
            .terminal(terminal)
            .parser(parser)
            .completer(new ShellCompleter(this::workflowIds, this::runIds, this::profileNames))
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is text
            .build();
    for (ShellSession.Entry e : session.history) reader.getHistory().add(e.command());
    return reader;
  }

  /** Runs one line; false to end the session. Nothing a person types ends it with an error. */
  boolean handle(String line) {
    try {
      if (!line.startsWith("/")) {
        plainLine(line);
        return true;
      }
      String[] cmd = line.split("\\s+", 2);
      String rest = cmd.length > 1 ? cmd[1].strip() : "";
      switch (cmd[0]) {
        case "/quit", "/exit" -> {
          return false;
        }
        case "/help" -> help();
        case "/run" -> run(rest, line);
        case "/resume" -> resume(rest);
        case "/runs" -> runs();
        case "/show" -> show(rest);
        case "/graph" -> graph(rest);
        case "/attach" -> attach(rest);
        case "/history" -> history();
        case "/retry" -> retry(line);
        case "/edit-last" -> editLast(rest, line);
        case "/profile" -> profile(rest);
        default ->
            throw new ShellError(
                "unknown command '"
                    + cmd[0]
                    + "'"
                    + suggestion(cmd[0])
                    + "; /help lists the commands");
      }
    } catch (ShellError e) {
      error(e.getMessage());
    } catch (ManifestException e) {
      for (ManifestProblem p : e.problems()) err.println(p);
    } catch (AgentrtException e) {
      error(e.getMessage());
    } catch (RuntimeException e) {
      error(e.toString());
      if (Verbose.on()) e.printStackTrace(err);
    }
    err.flush();
    w.flush();
    return true;
  }

  private void error(@Nullable String message) {
    w.flush();
    err.println("agentrt: " + LogRedaction.redact(String.valueOf(message)));
    err.flush();
  }

  private static String suggestion(String typed) {
    for (String[] c : COMMANDS) {
      if (c[0].startsWith(typed) || typed.startsWith(c[0])) return " (did you mean " + c[0] + "?)";
    }
    return "";
  }

  private void help() {
    w.println("Commands:");
    int width = 0;
    for (String[] c : COMMANDS) width = Math.max(width, (c[0] + " " + c[1]).length());
    for (String[] c : COMMANDS)
      w.println("  " + RunReport.pad((c[0] + " " + c[1]).strip(), width) + "  " + c[2]);
    w.println(
        "A line that does not start with / is the input of the active profile's workflow"
            + (session.profile == null
                ? " (no profile is active)."
                : " ('" + session.profile + "')."));
  }

  // ---- running ----

  private void plainLine(String line) {
    ShellProfiles.Profile p = activeProfile();
    if (p == null) {
      throw new ShellError(
          "no active profile maps a line to a workflow's input: add "
              + ShellProfiles.FILE
              + " to "
              + config.dir
              + " (see docs/cli.md), or type /run WORKFLOW TEXT");
    }
    start(line, p.workflow(), p.name(), line, p.inputFor(line), takeAttachments());
  }

  private void run(String rest, String line) {
    String[] a = rest.split("\\s+", 2);
    if (rest.isEmpty()) throw new ShellError("/run needs a workflow: /run WORKFLOW [JSON|TEXT]");
    String workflow = a[0];
    requireWorkflow(workflow);
    String arg = a.length > 1 ? a[1].strip() : "";
    if (arg.isEmpty() || arg.startsWith("{")) {
      JsonNode input = arg.isEmpty() ? RunReport.MAPPER.createObjectNode() : json(arg);
      start(line, workflow, null, null, input, takeAttachments());
    } else {
      ShellProfiles.Profile p = profileFor(workflow);
      start(line, workflow, p == null ? null : p.name(), arg, textInput(p, arg), takeAttachments());
    }
  }

  private static JsonNode textInput(ShellProfiles.@Nullable Profile p, String text) {
    if (p != null) return p.inputFor(text);
    ObjectNode o = RunReport.MAPPER.createObjectNode();
    o.put("text", text);
    return o;
  }

  private void retry(String line) {
    ShellSession.Entry last = requireLast("/retry");
    start(line, last.workflow(), last.profile(), last.text(), last.input().deepCopy(), null);
  }

  private void editLast(String rest, String line) {
    ShellSession.Entry last = requireLast("/edit-last");
    if (rest.isEmpty())
      throw new ShellError(
          "/edit-last needs text: /edit-last TEXT replaces the last input's text, /edit-last +TEXT"
              + " appends to it");
    if (last.text() == null)
      throw new ShellError(
          "the last input ("
              + last.command()
              + ") was JSON, not text: there is no text to edit; type /run "
              + last.workflow()
              + " JSON");
    String text = rest.startsWith("+") ? last.text() + " " + rest.substring(1).strip() : rest;
    ShellProfiles.Profile p = null;
    if (last.profile() != null) {
      p = profiles.profiles().get(last.profile());
      if (p == null)
        throw new ShellError(
            "the last input was mapped by profile '"
                + last.profile()
                + "', which "
                + ShellProfiles.FILE
                + " no longer has");
    }
    JsonNode input = textInput(p, text);
    start(
        line,
        last.workflow(),
        last.profile(),
        text,
        withAttachments(input, last.attachments()),
        null);
  }

  /**
   * Runs {@code workflow}, prints the result as {@code agentrt run} does and records the input.
   *
   * @param attachments the pending attachments to add to the input, or null if {@code input}
   *     already has its own
   */
  private void start(
      String command,
      String workflow,
      @Nullable String profile,
      @Nullable String text,
      JsonNode input,
      @Nullable ArrayNode attachments) {
    requireWorkflow(workflow);
    JsonNode in = input;
    ArrayNode attached = RunReport.MAPPER.createArrayNode();
    if (attachments != null && !attachments.isEmpty()) {
      in = withAttachments(input, attachments);
      attached = attachments;
    } else if (attachments == null && input.path("attachments").isArray()) {
      attached = (ArrayNode) input.path("attachments");
    }
    RunResult r = rt.run(workflow, in);
    if (attachments != null && !attachments.isEmpty()) {
      session.attachments = RunReport.MAPPER.createArrayNode(); // consumed by this input
    }
    session.history.add(
        new ShellSession.Entry(
            command, workflow, profile, text, attached, in, r.runId(), r.status().name()));
    session.save();
    report(r);
  }

  private JsonNode withAttachments(JsonNode input, JsonNode attachments) {
    if (attachments.isEmpty()) return input;
    if (!input.isObject())
      throw new ShellError(
          "attachments go into an object input as attachments: [...], and this input is "
              + input.getNodeType());
    ObjectNode o = ((ObjectNode) input).deepCopy();
    ArrayNode all =
        o.path("attachments").isArray()
            ? (ArrayNode) o.get("attachments")
            : o.putArray("attachments");
    all.addAll((ArrayNode) attachments.deepCopy());
    return o;
  }

  private @Nullable ArrayNode takeAttachments() {
    return session.attachments.deepCopy();
  }

  private void report(RunResult r) {
    w.flush();
    RunReport.print(printer, r, false);
    if (r.status() == RunStatus.WAITING) {
      w.println(
          "The run waits for input: /resume "
              + r.runId()
              + " JSON continues it (/resume alone resumes the last waiting run).");
    }
    w.flush();
  }

  private void resume(String rest) {
    String runId;
    String json;
    if (rest.isEmpty() || rest.startsWith("{")) {
      runId = lastWaiting();
      json = rest;
    } else {
      String[] a = rest.split("\\s+", 2);
      runId = a[0];
      json = a.length > 1 ? a[1].strip() : "";
    }
    JsonNode in = json.isEmpty() ? RunReport.MAPPER.createObjectNode() : json(json);
    Runs.requireExists(rt, runId);
    RunResult r = rt.resume(runId, in, ResumeOptions.builder().build());
    session.status(runId, r.status().name());
    session.save();
    report(r);
  }

  private String lastWaiting() {
    for (int i = session.history.size() - 1; i >= 0; i--) {
      if (session.history.get(i).status().equals(RunStatus.WAITING.name()))
        return session.history.get(i).runId();
    }
    throw new ShellError("no run of this session waits for input: /resume RUN [JSON]");
  }

  // ---- looking ----

  private void runs() {
    RunListing listing = rt.checkpointStore().summaries(RunQuery.builder().limit(20).build());
    w.print(RunsCommand.table(listing.runs()));
    w.flush();
    String note = Runs.volatileStoreNote(rt);
    if (listing.runs().isEmpty() && listing.unreadable().isEmpty() && note != null) error(note);
    for (String problem : listing.unreadable()) error(problem);
  }

  private void show(String rest) {
    String runId = rest.isEmpty() ? requireLast("/show").runId() : rest.split("\\s+")[0];
    RunRecord run = Runs.find(rt, runId);
    List<StepRecord> steps = rt.checkpointStore().steps(runId);
    BudgetUsage usage = BudgetUsage.ZERO;
    for (StepRecord s : steps) usage = usage.plusStep(s.usage());
    w.print(ShowCommand.text(run, steps, usage));
  }

  private void graph(String rest) {
    if (rest.isEmpty()) throw new ShellError("/graph needs a workflow: /graph WORKFLOW");
    String workflow = rest.split("\\s+")[0];
    requireWorkflow(workflow);
    String diagram = AgentRuntime.mermaid(rt.manifests(), workflow);
    w.print(diagram.endsWith("\n") ? diagram : diagram + "\n");
  }

  private void history() {
    if (session.history.isEmpty()) {
      w.println("(no inputs yet)");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"#", "RUN", "WORKFLOW", "STATUS", "INPUT"});
      int n = 1;
      for (ShellSession.Entry e : session.history) {
        rows.add(
            new String[] {Integer.toString(n++), e.runId(), e.workflow(), e.status(), e.command()});
      }
      w.print(RunReport.table(rows));
    }
    if (!session.attachments.isEmpty())
      w.println("Attached to the next input: " + attachmentPaths(session.attachments));
  }

  // ---- session state ----

  private void attach(String rest) {
    if (rest.isEmpty()) {
      w.println(
          session.attachments.isEmpty()
              ? "(nothing attached; /attach FILE attaches a file to the next input)"
              : "Attached to the next input: " + attachmentPaths(session.attachments));
      return;
    }
    Path file;
    try {
      file = Path.of(rest);
    } catch (InvalidPathException e) {
      throw new ShellError("/attach " + rest + ": not a valid path (" + e.getReason() + ")");
    }
    Path shown = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file))
      throw new ShellError(
          "/attach "
              + rest
              + ": "
              + shown
              + (Files.exists(file) ? " is not a regular file" : " does not exist"));
    String text;
    try {
      if (Files.size(file) > MAX_ATTACHMENT_BYTES)
        throw new ShellError(
            "/attach " + rest + ": the file is larger than 1 MiB; pass large data by reference");
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ShellError(
          "/attach "
              + rest
              + ": cannot read "
              + shown
              + " as UTF-8 text ("
              + e.getClass().getSimpleName()
              + ")");
    }
    session.attachments.addObject().put("path", rest).put("text", text);
    session.save();
    w.println(
        "Attached "
            + rest
            + " ("
            + text.length()
            + " characters) to the next input: "
            + attachmentPaths(session.attachments));
  }

  private static String attachmentPaths(JsonNode attachments) {
    List<String> paths = new ArrayList<>();
    attachments.forEach(a -> paths.add(a.path("path").asText()));
    return String.join(", ", paths);
  }

  private void profile(String rest) {
    if (!rest.isEmpty()) {
      switchProfile(rest.split("\\s+")[0]);
      session.save();
      w.println(
          "Profile '"
              + session.profile
              + "': a line runs workflow '"
              + activeProfile().workflow()
              + "'.");
      return;
    }
    if (profiles.profiles().isEmpty()) {
      w.println("(no profiles: add " + ShellProfiles.FILE + " to " + config.dir + ")");
      return;
    }
    for (String name : new TreeSet<>(profiles.profiles().keySet())) {
      ShellProfiles.Profile p = profiles.profiles().get(name);
      w.println(
          (name.equals(session.profile) ? "* " : "  ")
              + name
              + "  -> "
              + p.workflow()
              + " "
              + RunReport.write(p.input(), false)
              + (p.description() == null ? "" : "  " + p.description()));
    }
  }

  private void switchProfile(String name) {
    if (!profiles.profiles().containsKey(name))
      throw new ShellError(
          "no profile '"
              + name
              + "'"
              + (profiles.profiles().isEmpty()
                  ? " (" + ShellProfiles.FILE + " defines none)"
                  : " (one of: "
                      + String.join(", ", new TreeSet<>(profiles.profiles().keySet()))
                      + ")"));
    session.profile = name;
  }

  private void loadProfiles() {
    Path file = config.dir.resolve(ShellProfiles.FILE);
    try {
      profiles = ShellProfiles.load(file, file.toString(), rt.manifests().workflows().keySet());
    } catch (ManifestException e) {
      for (ManifestProblem p : e.problems()) err.println(p);
      err.println(
          "agentrt: the shell starts without profiles; fix " + file + " and start it again");
      profiles = ShellProfiles.none();
    }
  }

  private ShellProfiles.@Nullable Profile activeProfile() {
    return session.profile == null ? null : profiles.profiles().get(session.profile);
  }

  /** The active profile if it runs {@code workflow}, else the first (by name) that does. */
  private ShellProfiles.@Nullable Profile profileFor(String workflow) {
    ShellProfiles.Profile active = activeProfile();
    if (active != null && active.workflow().equals(workflow)) return active;
    for (String name : new TreeSet<>(profiles.profiles().keySet())) {
      if (profiles.profiles().get(name).workflow().equals(workflow))
        return profiles.profiles().get(name);
    }
    return null;
  }

  private ShellSession.Entry requireLast(String command) {
    ShellSession.Entry last = session.last();
    if (last == null) throw new ShellError(command + ": no input yet in this session");
    return last;
  }

  private void requireWorkflow(String workflow) {
    if (!rt.manifests().workflows().containsKey(workflow))
      throw new ShellError(
          "no workflow '" + workflow + "' (one of: " + String.join(", ", workflowIds()) + ")");
  }

  private JsonNode json(String text) {
    try {
      JsonNode node = PARSER.readTree(text);
      if (node == null || !node.isObject())
        throw new ShellError("the input must be a JSON object such as {\"name\": \"Ada\"}");
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      throw new ShellError("invalid JSON" + where + ": " + e.getOriginalMessage());
    }
  }

  Set<String> workflowIds() {
    return rt == null ? Set.of() : new TreeSet<>(rt.manifests().workflows().keySet());
  }

  List<String> runIds() {
    List<String> ids = new ArrayList<>();
    if (session != null)
      for (int i = session.history.size() - 1; i >= 0; i--) ids.add(session.history.get(i).runId());
    return ids;
  }

  Set<String> profileNames() {
    return new TreeSet<>(profiles.profiles().keySet());
  }

  /** A mistake in a line: its message is printed and the session goes on. */
  static final class ShellError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShellError(String message) {
      super(message, null, false, false);
    }
  }
}
