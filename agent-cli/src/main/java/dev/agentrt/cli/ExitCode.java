package dev.agentrt.cli;

import dev.agentrt.core.RunStatus;

/** The exit codes of ARCHITECTURE §10. */
final class ExitCode {
  static final int COMPLETED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int WAITING = 3;

  private ExitCode() {}

  static int of(RunStatus status) {
    return switch (status) {
      case COMPLETED -> COMPLETED;
      case WAITING -> WAITING;
      case FAILED, CANCELLED, RUNNING -> FAILED;
    };
  }
}
