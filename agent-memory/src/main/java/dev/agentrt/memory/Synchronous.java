package dev.agentrt.memory;

/**
 * How hard SQLite pushes each commit to disk ({@code PRAGMA synchronous}, set on every connection
 * of the store). The database is in WAL mode either way, and neither setting can corrupt it; they
 * differ in which commits can be lost.
 *
 * @since 0.1
 */
public enum Synchronous {
  /**
   * The default. A commit is in the operating system's hands when {@code appendStep} returns: it
   * survives a crash or kill of the JVM, but a power loss or an operating-system crash may lose the
   * last commits made since the previous WAL checkpoint (the run then resumes from an earlier
   * step). Commits do not wait for the device, which makes them several times cheaper than with
   * {@link #FULL} (measured here: about 12,000 appends/s from one thread, against 6,000).
   */
  NORMAL,
  /**
   * The WAL is flushed to the device ({@code fsync}) on every commit: a commit that returned
   * survives a power loss too. Group commit amortises the flush over all the appends committed
   * together.
   */
  FULL
}
