package dev.agentrt.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs {@code agentrt shell} in this process on given streams, for tests and examples that drive
 * the shell with scripted input (a dumb terminal: lines are read as they come, without line
 * editing).
 */
public final class Shell {
  private Shell() {}

  /**
   * Runs {@code agentrt shell ARGS...} reading lines from {@code in} until its end or {@code
   * /quit}.
   *
   * @param in the lines typed
   * @param out what the shell prints (prompts, results)
   * @param err errors and notes
   * @param args the options of {@code agentrt shell}, such as {@code --config DIR --session FILE}
   * @return the exit code: 0 when the session ended, 2 for a configuration that cannot be loaded
   */
  public static int run(InputStream in, OutputStream out, OutputStream err, String... args) {
    CommandLine cl = Main.newCommandLine();
    PrintWriter errWriter =
        new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    PrintWriter outWriter =
        new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    cl.setOut(outWriter);
    cl.setErr(errWriter);
    ShellCommand shell = cl.getSubcommands().get("shell").getCommand();
    shell.in = in;
    shell.out = out;
    String[] all = new String[args.length + 1];
    all[0] = "shell";
    System.arraycopy(args, 0, all, 1, args.length);
    try {
      return Main.execute(cl, all);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }
}
