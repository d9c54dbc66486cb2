package dev.agentrt.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code agentrt} command lines in this JVM and keeps what the last one printed. */
final class InProcessCli {
  StringWriter out = new StringWriter();
  StringWriter err = new StringWriter();

  /** Runs {@code args} as the {@code agentrt} command does; returns its exit code. */
  int execute(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return Main.execute(cl, args);
  }
}
