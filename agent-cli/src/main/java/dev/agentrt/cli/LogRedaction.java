package dev.agentrt.cli;

import dev.agentrt.core.manifest.Redactor;
import java.util.Collection;

/**
 * The credentials the process has loaded ({@code ${env:...}} and {@code ${file:...}} values of the
 * configuration), removed from every log line the CLI writes, whichever library logged it and at
 * whatever level ({@link RedactingEncoder}).
 */
final class LogRedaction {
  private static volatile Redactor redactor = Redactor.none();

  private LogRedaction() {}

  /**
   * Adds the secrets {@code more} masks (a loaded configuration's {@code Manifests.redactor()}).
   */
  static synchronized void add(Redactor more) {
    redactor = redactor.and(more);
  }

  /**
   * Adds secret values (shorter than four characters are ignored: masking them would mangle text).
   */
  static void add(Collection<String> secrets) {
    add(Redactor.of(secrets));
  }

  /** {@code text} with every known secret replaced by {@code ****}. */
  static String redact(String text) {
    return redactor.redact(text);
  }
}
