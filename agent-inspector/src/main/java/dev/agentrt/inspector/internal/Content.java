package dev.agentrt.inspector.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.Redactor;
import dev.agentrt.core.manifest.TelemetrySpec;
import dev.agentrt.inspector.AgentInspector.Mode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the inspector shows of a run's contents: nothing in shipping mode, everything in debug mode;
 * known secrets and {@code telemetry.redact} patterns masked in both.
 */
final class Content {
  static final String HIDDEN = "[hidden: shipping mode]";

  private final Mode mode;
  private final Redactor redactor;

  Content(Mode mode, Manifests manifests) {
    this.mode = mode;
    TelemetrySpec telemetry = manifests.config().telemetry();
    List<String> patterns =
        telemetry == null || telemetry.redact() == null ? List.of() : telemetry.redact();
    this.redactor = manifests.redactor().withPatterns(patterns);
  }

  Mode mode() {
    return mode;
  }

  /** A content value (prompt, answer, arguments, result, input, output): hidden or redacted. */
  JsonNode content(@Nullable JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) return NullNode.getInstance();
    return mode == Mode.SHIPPING ? TextNode.valueOf(HIDDEN) : redactor.redact(value);
  }

  /** Metadata (names, messages, keys): always shown, redacted. */
  JsonNode meta(@Nullable JsonNode value) {
    if (value == null || value.isMissingNode()) return NullNode.getInstance();
    return redactor.redact(value);
  }

  /** A metadata text, redacted. */
  @Nullable String text(@Nullable String value) {
    return redactor.redactNullable(value);
  }
}
