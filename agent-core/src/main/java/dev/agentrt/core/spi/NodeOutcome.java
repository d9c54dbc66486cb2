package dev.agentrt.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.FailureReason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one node execution ended.
 *
 * @since 0.1
 */
public sealed interface NodeOutcome
    permits NodeOutcome.Completed, NodeOutcome.Failed, NodeOutcome.Suspended {

  /** The node produced {@code output}. */
  static NodeOutcome completed(JsonNode output) {
    return new Completed(output);
  }

  /** The attempt failed; the engine retries it per the node's {@code retry:}. */
  static NodeOutcome failed(String message) {
    return new Failed(message, null, true);
  }

  /** The node completed and its output is stored at {@code state.<node id>}. */
  record Completed(JsonNode output) implements NodeOutcome {
    public Completed {
      Objects.requireNonNull(output, "output (use NullNode.getInstance() for no output)");
    }
  }

  /**
   * The attempt failed.
   *
   * @param message what went wrong, readable by a person
   * @param cause the exception behind it, if any
   * @param retryable whether another attempt may succeed
   */
  record Failed(String message, @Nullable Throwable cause, boolean retryable)
      implements NodeOutcome {
    public Failed {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The run must wait for a person or a policy before this node can complete.
   *
   * @param reason {@link FailureReason#INTERRUPTED} or {@link FailureReason#INDETERMINATE_EFFECT}
   * @param message what the run waits for
   */
  record Suspended(FailureReason reason, String message) implements NodeOutcome {
    public Suspended {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
