package dev.agentrt.cli;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The credentials the process has loaded ({@code ${env:...}} and {@code ${file:...}} values of the
 * configuration), removed from every log line the CLI writes, whichever library logged it and at
 * whatever level ({@link RedactingEncoder}).
 */
final class LogRedaction {
  /** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
  private static final int MIN_LENGTH = 4;
  private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

  private LogRedaction() {}

  static void add(Collection<String> secrets) {
    for (String s : secrets) if (s != null && s.length() >= MIN_LENGTH) SECRETS.add(s);
  }

  /** {@code text} with every known secret replaced by {@code ****}. */
  static String redact(String text) {
    String r = text;
    for (String s : SECRETS) {
      if (r.contains(s)) r = r.replace(s, "****");
    }
    return r;
  }
}
