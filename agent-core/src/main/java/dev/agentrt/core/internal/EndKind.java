package dev.agentrt.core.internal;

/** How a walk (or a step) ended; see {@link End}. */
enum EndKind {
  REACHED,
  EXITED,
  FAILED,
  SUSPENDED,
  STOPPED,
  CANCELLED,
  REPLAY_END
}
