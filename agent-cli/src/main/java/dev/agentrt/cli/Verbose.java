package dev.agentrt.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --verbose}: agentrt's debug log on stderr, with the stack traces of failures (credentials
 * removed), and the stack trace of a configuration error. Off by default: a failure is then one
 * readable line.
 */
final class Verbose {
  private static volatile boolean on;

  private Verbose() {}

  static void set(boolean verbose) {
    on = verbose;
    if (LoggerFactory.getLogger("dev.agentrt") instanceof Logger l)
      l.setLevel(verbose ? Level.DEBUG : null);
  }

  static boolean on() {
    return on;
  }
}
