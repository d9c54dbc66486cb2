package dev.agentrt.cli;

import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;

/** The exit codes of ARCHITECTURE §10, and 4 for a run this process lost to another owner. */
final class ExitCode {
  static final int COMPLETED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int WAITING = 3;

  /**
   * This process lost ownership of the run (another process took its lease over while this one was
   * paused): the run has not failed, it continues under the other owner. Retrying would run it
   * twice.
   */
  static final int OWNERSHIP_LOST = 4;

  private ExitCode() {}

  /** What happened to the run: its status, or {@link #OWNERSHIP_LOST}. */
  static int of(RunResult r) {
    return r.reason() == FailureReason.OWNERSHIP_LOST ? OWNERSHIP_LOST : of(r.status());
  }

  static int of(RunStatus status) {
    return switch (status) {
      case COMPLETED -> COMPLETED;
      case WAITING -> WAITING;
      case FAILED, CANCELLED, RUNNING, QUEUED -> FAILED;
    };
  }
}
