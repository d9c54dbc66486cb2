package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactingEncoderTest {
  static final String SECRET = "sk-encoder-planted-5b1c";

  @Test
  void encode_thirdPartyWarningWithKeyInMessageAndStackTrace_writesNoKey() {
    LoggerContext context = new LoggerContext();
    RedactingEncoder encoder = new RedactingEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %logger: %msg%n");
    encoder.start();
    LogRedaction.add(List.of(SECRET));
    Logger logger = context.getLogger("dev.langchain4j.internal.RetryUtils");
    RuntimeException e =
        new RuntimeException("{\"error\":{\"message\":\"bad key " + SECRET + "\"}}");

    String line =
        new String(
            encoder.encode(
                new LoggingEvent(
                    Logger.class.getName(),
                    logger,
                    Level.WARN,
                    "Exception on attempt 1 with key {}",
                    e,
                    new Object[] {SECRET})),
            StandardCharsets.UTF_8);

    assertThat(line)
        .startsWith(
            "WARN dev.langchain4j.internal.RetryUtils: Exception on attempt 1 with key ****")
        .contains("bad key ****")
        .contains("\tat ")
        .doesNotContain(SECRET);
  }
}
