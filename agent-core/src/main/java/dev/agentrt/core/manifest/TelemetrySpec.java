package dev.agentrt.core.manifest;

import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code telemetry:} section of {@code config.yml}.
 *
 * @param mode {@code shipping} (metadata only) or {@code debug} (adds prompts and tool payloads)
 * @param redact regular expressions whose matches are scrubbed from everything exported
 * @since 0.1
 */
public record TelemetrySpec(
    @Nullable @Pattern(regexp = "shipping|debug", message = "must be 'shipping' or 'debug'")
        String mode,
    @Nullable List<String> redact) {}
