package dev.agentrt.memory;

import java.time.Instant;
import java.util.Objects;

/**
 * A content-addressed artifact kept by a {@link SqliteCheckpointStore}: a value too large to be
 * stored inline in a step (an output, an LLM request or response), kept once however many steps and
 * runs refer to it.
 *
 * @param sha256 the SHA-256 of the content, lower-case hex; the artifact's identity
 * @param size the content's size in bytes (UTF-8 JSON)
 * @param createdAt when the content was first stored
 * @since 0.1
 */
public record ArtifactInfo(String sha256, long size, Instant createdAt) {
  public ArtifactInfo {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
