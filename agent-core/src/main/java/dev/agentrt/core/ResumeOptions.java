package dev.agentrt.core;

/**
 * How {@link AgentRuntime#resume(String, Object, ResumeOptions)} continues a run. Immutable.
 *
 * @since 0.1
 */
public final class ResumeOptions {
  private static final ResumeOptions DEFAULTS = new Builder().build();

  private final boolean forceChangedWorkflow;

  private ResumeOptions(Builder b) {
    this.forceChangedWorkflow = b.forceChangedWorkflow;
  }

  /** Refuse to resume a run whose workflow changed since it started. */
  public static ResumeOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether a run whose workflow (or an agent, prompt or sub-workflow it uses) changed is resumed
   * anyway.
   */
  public boolean forceChangedWorkflow() {
    return forceChangedWorkflow;
  }

  /** Builds {@link ResumeOptions}. Not thread-safe. */
  public static final class Builder {
    private boolean forceChangedWorkflow;

    private Builder() {}

    /**
     * Resume even if the workflow changed since the run started: recorded steps are reused as they
     * are, the rest runs with the new definition. Default false.
     */
    public Builder forceChangedWorkflow(boolean force) {
      this.forceChangedWorkflow = force;
      return this;
    }

    public ResumeOptions build() {
      return new ResumeOptions(this);
    }
  }
}
