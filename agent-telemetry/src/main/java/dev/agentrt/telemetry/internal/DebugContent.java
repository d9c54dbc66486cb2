package dev.agentrt.telemetry.internal;

import dev.agentrt.telemetry.ContentKind;
import io.opentelemetry.api.common.AttributeKey;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** How debug content is marked on spans and capped in size. */
public final class DebugContent {
  /**
   * Set to {@code debug} on a span started, or given content, while debug output was on. Content
   * events on spans without it are dropped at export.
   */
  public static final AttributeKey<String> MODE = AttributeKey.stringKey("agentrt.telemetry.mode");

  /** The value of {@link #MODE} on debug spans. */
  public static final String DEBUG = "debug";

  /** The names of the span events that carry content (prompts, completions, tool payloads). */
  public static final Set<String> EVENT_NAMES =
      Arrays.stream(ContentKind.values())
          .map(ContentKind::eventName)
          .collect(Collectors.toUnmodifiableSet());

  private DebugContent() {}

  /**
   * {@code text} cut to {@code limit} characters (never inside a surrogate pair), saying how much
   * was cut.
   */
  public static String cap(String text, int limit) {
    if (text.length() <= limit) return text;
    int end = limit;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--;
    return text.substring(0, end) + "...[" + (text.length() - end) + " more chars]";
  }
}
