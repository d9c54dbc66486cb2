package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code agents/*.yml} file: an LLM agent that {@code kind: agent} nodes run.
 *
 * @param name the agent's name, referenced by nodes' {@code agent:}
 * @param description what the agent does
 * @param model a key of {@code models:} in {@code config.yml}
 * @param system the system prompt template, a path relative to {@code .agent/}
 * @param prompt the system prompt template itself, instead of a file named by {@code system:}
 * @param tools the tools the agent may call
 * @param temperature sampling temperature (0 when absent)
 * @param output the schema its final answer must match
 * @param budget limits for each execution of the agent
 * @param stream whether tokens are streamed to listeners
 * @param maxToolRounds the most model-tool round trips in one execution
 * @param memory which scopes of memory the agent's {@code memory.*} tool calls may read and write;
 *     absent: {@code task} and {@code project} for both
 * @param contextProfile a key of {@code context_profiles:} in {@code config.yml}: the sections of
 *     the prompt and its token budget; absent: every section, uncut
 * @param tags capability tags ({@code [code, specialist]}): lower-case identifiers that the nodes
 *     running the agent provide to {@code requires:} (see {@link Capabilities})
 * @since 0.1
 */
public record AgentSpec(
    @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String name,
    @Nullable String description,
    @Nullable String model,
    @Nullable String system,
    @Nullable String prompt,
    @Nullable List<@NotBlank String> tools,
    @Nullable @DecimalMin("0") @DecimalMax("2") Double temperature,
    @Nullable OutputSpec output,
    @Nullable @Valid BudgetSpec budget,
    @Nullable Boolean stream,
    @Nullable @Positive Integer maxToolRounds,
    @Nullable MemoryPermissions memory,
    @Nullable String contextProfile,
    @Nullable
        List<
            @NotNull @Pattern(regexp = Capabilities.TAG_PATTERN, message = Capabilities.TAG_MESSAGE)
            String>
        tags) {

  /**
   * The schema an agent's answer must match: written as a JSON Schema, or generated from a Java
   * record named by {@code type:} (when loaded, {@link #schema()} holds the generated schema).
   *
   * @param schema a JSON Schema
   * @param type the binary name of a record class ({@code com.acme.Review}) on the classpath whose
   *     components are the answer's fields; a component is required unless it is an {@code
   *     Optional} or annotated {@code @Nullable}
   * @since 0.1
   */
  public record OutputSpec(@Nullable JsonNode schema, @Nullable String type) {}

  /**
   * Which scopes of memory an agent may use: {@code memory: {read: [task, project], write:
   * [task]}}. A list that is absent means {@code [task, project]}; an empty list means none.
   *
   * @param read the scopes the agent may search and read ({@code task}, {@code project}, {@code
   *     global})
   * @param write the scopes the agent may write
   * @since 0.1
   */
  public record MemoryPermissions(
      @Nullable List<@NotBlank String> read, @Nullable List<@NotBlank String> write) {}
}
