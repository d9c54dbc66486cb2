package dev.agentrt.core.internal;

import dev.agentrt.core.spi.Suggestions;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** "Did you mean" suggestions by edit distance: the engine's shorthand for {@link Suggestions}. */
public final class Suggest {
  private Suggest() {}

  /** The closest of {@code candidates} to {@code wrong}, or null if none is close enough. */
  public static @Nullable String closest(String wrong, Collection<String> candidates) {
    return Suggestions.closest(wrong, candidates).orElse(null);
  }

  /** {@code " (did you mean 'x'?)"} or, with no close candidate, {@code ""}. */
  public static String didYouMean(String wrong, Collection<String> candidates) {
    return Suggestions.didYouMean(wrong, candidates);
  }
}
