package dev.agentrt.core.spi;

import dev.agentrt.core.internal.Suggest;
import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" suggestions for error messages, the same ones the manifest loader makes, for
 * executors and tools that report a misspelled name.
 *
 * @since 0.1
 */
public final class Suggestions {
  private Suggestions() {}

  /** The candidate closest to {@code wrong} by edit distance, if one is close enough to suggest. */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    return Optional.ofNullable(Suggest.closest(wrong, candidates));
  }

  /** {@code " (did you mean 'x'?)"}, or {@code ""} when no candidate is close. */
  public static String didYouMean(String wrong, Collection<String> candidates) {
    return Suggest.didYouMean(wrong, candidates);
  }
}
