package dev.agentrt.core.spi;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
    return Optional.ofNullable(closestOrNull(wrong, candidates));
  }

  /** {@code " (did you mean 'x'?)"}, or {@code ""} when no candidate is close. */
  public static String didYouMean(String wrong, Collection<String> candidates) {
    String c = closestOrNull(wrong, candidates);
    return c == null ? "" : " (did you mean '" + c + "'?)";
  }

  /** The closest of {@code candidates} to {@code wrong}, or null if none is close enough. */
  static @Nullable String closestOrNull(String wrong, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = wrong.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best == null) return null;
    int allowed = Math.max(1, Math.min(3, (Math.max(wrong.length(), best.length()) + 2) / 4));
    return bestDistance <= allowed ? best : null;
  }

  /** Damerau-Levenshtein distance (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
