package dev.agentrt.cli;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.Charset;

/**
 * The CLI's log encoder ({@code logback.xml}): the pattern layout's line, stack trace included,
 * with the loaded credentials removed ({@link LogRedaction}). Public because Logback instantiates
 * it.
 */
public final class RedactingEncoder extends PatternLayoutEncoder {
  @Override
  public byte[] encode(ILoggingEvent event) {
    Charset charset = getCharset() == null ? Charset.defaultCharset() : getCharset();
    return LogRedaction.redact(getLayout().doLayout(event)).getBytes(charset);
  }
}
