package dev.agentrt.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/** Comparing JSON values as a test means them. */
public final class JsonValues {
  /** Equal nodes, and numbers of equal value whatever their type ({@code 1} and {@code 1.0}). */
  private static final Comparator<JsonNode> NUMERIC =
      (a, b) -> {
        if (a.equals(b)) return 0;
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        }
        return 1;
      };

  private JsonValues() {}

  /** Whether {@code a} and {@code b} are the same value, numbers compared by value at any depth. */
  public static boolean same(JsonNode a, JsonNode b) {
    return a.equals(NUMERIC, b);
  }
}
