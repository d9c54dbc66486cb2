package dev.agentrt.cli;

import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.manifest.ManifestProblem;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code agentrt} command. Exit codes (ARCHITECTURE §10): 0 completed, 1 failed or cancelled, 2
 * bad usage or configuration, 3 waiting for input, 4 this process lost the run to another owner
 * (the run continues there).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code, without exiting the JVM. */
  static int execute(String... args) {
    return execute(newCommandLine(), args);
  }

  /**
   * Runs the command line on {@code cl} (from {@link #newCommandLine}, its writers possibly
   * replaced) and returns its exit code, without exiting the JVM.
   */
  static int execute(CommandLine cl, String... args) {
    Verbose.set(false);
    AppClassPath.Scope classPath = AppClassPath.enter(); // a --classpath lasts one execution
    try {
      return cl.execute(args);
    } finally {
      classPath.close();
      CliTelemetry.close(); // export what the command recorded before the process exits
    }
  }

  static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new AgentrtCommand());
    // "--input @file" is ours to read: picocli must not expand @files into arguments
    cl.setExpandAtFiles(false);
    // --status waiting
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> userError(e, cmd, parsed.originalArgs().contains("--json")));
    return cl;
  }

  /** Bad arguments: the message and where to find help, without the whole usage text. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    if (java.util.Arrays.asList(args).contains("--json"))
      jsonError(cmd, e.getMessage(), ExitCode.USAGE, java.util.List.of());
    return ExitCode.USAGE;
  }

  /**
   * With {@code --json}, an error is also one JSON object on stdout, so a script reads every
   * outcome there: {@code {"ok": false, "error": "...", "exitCode": 2}}, plus {@code problems}
   * (file, line, column, message) for a configuration with problems.
   */
  private static void jsonError(
      CommandLine cmd, String message, int exitCode, java.util.List<ManifestProblem> problems) {
    var o = RunReport.MAPPER.createObjectNode();
    o.put("ok", false);
    o.put("error", LogRedaction.redact(message));
    o.put("exitCode", exitCode);
    if (!problems.isEmpty()) {
      var array = o.putArray("problems");
      for (ManifestProblem p : problems) {
        array
            .addObject()
            .put("file", p.file())
            .put("line", p.line())
            .put("column", p.column())
            .put("message", LogRedaction.redact(p.message()));
      }
    }
    PrintWriter out = cmd.getOut();
    out.print(RunReport.write(o, false) + "\n");
    out.flush();
  }

  /**
   * A mistake in the configuration or the arguments prints its message only (and its stack trace
   * with {@code --verbose}); a bug keeps its trace.
   */
  private static int userError(Exception e, CommandLine cmd, boolean json) throws Exception {
    PrintWriter err = cmd.getErr();
    if (e instanceof ManifestException me) {
      for (ManifestProblem p : me.problems()) err.println(p);
      if (json)
        jsonError(
            cmd,
            me.getMessage().lines().findFirst().orElse("").replaceFirst(":$", ""),
            ExitCode.USAGE,
            me.problems());
    } else if (e instanceof AgentrtException) {
      err.println("agentrt: " + LogRedaction.redact(String.valueOf(e.getMessage())));
      if (json) jsonError(cmd, String.valueOf(e.getMessage()), ExitCode.USAGE, java.util.List.of());
    } else {
      throw e;
    }
    if (Verbose.on()) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      err.print(LogRedaction.redact(trace.toString()));
    }
    err.flush();
    return ExitCode.USAGE;
  }
}
