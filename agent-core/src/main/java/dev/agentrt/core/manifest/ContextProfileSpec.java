package dev.agentrt.core.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code context_profiles:} in {@code config.yml}: what an agent's prompt is made of,
 * in what order, and how it is cut to fit a token budget. An agent chooses one with {@code
 * context_profile: NAME}; an agent without one gets every section, uncut.
 *
 * <pre>{@code
 * context_profiles:
 *   coder:
 *     max_tokens: 8000
 *     sections: [system, input, memory, messages, loop_status]
 *     truncate: lowest_score_first
 *     memory: {k: 8, scopes: [task, project], query: "{{input.request}}", mode: hybrid}
 * }</pre>
 *
 * @param maxTokens the most tokens the system and user messages may hold together
 * @param sections what goes into the prompt, in order: {@code system} is the system message, the
 *     others make up the user message in the order listed
 * @param truncate what is cut first when the sections exceed {@code max_tokens}; absent: {@code
 *     oldest_first}
 * @param memory the memory search of the {@code memory} section; required when it is listed
 * @since 0.1
 */
public record ContextProfileSpec(
    @NotNull @Positive Integer maxTokens,
    @NotEmpty List<@NotNull Section> sections,
    @Nullable Truncate truncate,
    @Nullable @Valid MemorySection memory) {

  /** {@link #truncate()}, or {@link Truncate#OLDEST_FIRST} when absent. */
  public Truncate truncateOrDefault() {
    return truncate == null ? Truncate.OLDEST_FIRST : truncate;
  }

  /**
   * A part of an agent's prompt.
   *
   * @since 0.1
   */
  public enum Section {
    /** The agent's {@code system:} prompt; never cut. */
    @JsonProperty("system")
    SYSTEM,
    /** The node's input; never cut. */
    @JsonProperty("input")
    INPUT,
    /** Messages from other agents of the workflow; cut oldest first. */
    @JsonProperty("messages")
    MESSAGES,
    /** The workflow's bounded loops (iteration and remaining); cut last, as a whole. */
    @JsonProperty("loop_status")
    LOOP_STATUS,
    /** Hits of a memory search ({@link ContextProfileSpec#memory()}); cut lowest score first. */
    @JsonProperty("memory")
    MEMORY;

    /** The name as written in YAML ({@code loop_status}). */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What is cut first when a prompt exceeds {@code max_tokens}. Either way the other cuttable
   * section is cut next, then the loop status; the system prompt and the input are never cut.
   *
   * @since 0.1
   */
  public enum Truncate {
    /** Messages from other agents, oldest first; then memory hits, lowest score first. */
    @JsonProperty("oldest_first")
    OLDEST_FIRST,
    /** Memory hits, lowest score first; then messages, oldest first. */
    @JsonProperty("lowest_score_first")
    LOWEST_SCORE_FIRST;

    /** The name as written in YAML ({@code oldest_first}). */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The search behind the {@code memory} section.
   *
   * @param k how many hits at most, 1 to 1000
   * @param scopes the scopes searched ({@code task}, {@code project}, {@code global}); absent:
   *     {@code [task]}
   * @param query the query text, a template over state ({@code "{{input.request}}"})
   * @param mode {@code sparse}, {@code dense} or {@code hybrid}; absent: the memory's default
   * @since 0.1
   */
  public record MemorySection(
      @NotNull @Positive @Max(1000) Integer k,
      @Nullable
          List<
              @NotNull
              @Pattern(
                  regexp = "task|project|global",
                  message = "must be 'task', 'project' or 'global'")
              String>
          scopes,
      @NotBlank String query,
      @Nullable
          @Pattern(
              regexp = "sparse|dense|hybrid",
              message = "must be 'sparse', 'dense' or 'hybrid'")
          String mode) {

    /** {@link #scopes()}, or {@code [task]} when absent. */
    public List<String> scopesOrDefault() {
      return scopes == null || scopes.isEmpty() ? List.of("task") : scopes;
    }
  }
}
