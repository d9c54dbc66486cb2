package dev.agentrt.core.spi;

import dev.agentrt.core.Experimental;
import java.util.Objects;

/**
 * What a {@link CallRecord} records. A store persists a kind as its {@linkplain #wireName() wire
 * name} ({@code llm}, {@code tool}, ...), the strings earlier versions wrote, so existing databases
 * read unchanged.
 *
 * @since 0.1
 */
@Experimental
public enum CallKind {
  /** A completed call of a chat model. */
  LLM("llm"),
  /** A completed tool call. */
  TOOL("tool"),
  /** An effectful tool call about to be made, recorded before it is made. */
  INTENT("intent"),
  /** The trace ids of a run's first execution, for a resumed run to link to. */
  TRACE("trace"),
  /** A message one agent left for another, recorded with its step. */
  MESSAGE("message"),
  /** The ranking of an embedded router ({@code kind: router}), reused when its step runs again. */
  ROUTER("router");

  private final String wireName;

  CallKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name a store persists: the lower-case name earlier versions wrote. */
  public String wireName() {
    return wireName;
  }

  /**
   * The kind persisted as {@code wireName}.
   *
   * @throws IllegalArgumentException if no kind has that wire name (a record written by a newer
   *     agentrt, or a damaged one), naming the known ones
   */
  public static CallKind fromWireName(String wireName) {
    Objects.requireNonNull(wireName, "wireName");
    for (CallKind k : values()) {
      if (k.wireName.equals(wireName)) return k;
    }
    throw new IllegalArgumentException(
        "unknown call kind '" + wireName + "' (known: llm, tool, intent, trace, message, router)");
  }

  /** The wire name, so a kind prints as earlier versions' strings did. */
  @Override
  public String toString() {
    return wireName;
  }
}
