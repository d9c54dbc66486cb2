package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentrt.core.FailureReason;
import org.jspecify.annotations.Nullable;

/** How a walk (or a step) ended. */
final class End {
  static final End STOPPED =
      new End(EndKind.STOPPED, NullNode.getInstance(), null, null, null, null);
  static final End CANCELLED =
      new End(EndKind.CANCELLED, NullNode.getInstance(), null, null, null, null);

  /** A replay reached a step its log does not have: the run had stopped there. */
  static final End REPLAY_END =
      new End(EndKind.REPLAY_END, NullNode.getInstance(), null, null, null, null);

  final EndKind kind;
  final JsonNode output;
  final @Nullable String lastNode;
  final @Nullable FailureReason reason;
  final @Nullable String stepKey;
  final @Nullable String message;

  End(
      EndKind kind,
      JsonNode output,
      @Nullable String lastNode,
      @Nullable FailureReason reason,
      @Nullable String stepKey,
      @Nullable String message) {
    this.kind = kind;
    this.output = output;
    this.lastNode = lastNode;
    this.reason = reason;
    this.stepKey = stepKey;
    this.message = message;
  }

  static End failed(FailureReason reason, @Nullable String stepKey, String message) {
    return new End(EndKind.FAILED, NullNode.getInstance(), null, reason, stepKey, message);
  }

  static End suspended(FailureReason reason, String stepKey, String message) {
    return new End(EndKind.SUSPENDED, NullNode.getInstance(), null, reason, stepKey, message);
  }
}
