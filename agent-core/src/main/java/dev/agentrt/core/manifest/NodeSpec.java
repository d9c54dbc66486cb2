package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One node of a workflow. Which keys apply depends on {@code kind} and {@code role}; a key that
 * does not apply is reported at load time.
 *
 * @param id unique within the workflow; the node's output is stored at {@code state.<id>}
 * @param kind what runs: {@code agent}, {@code tool}, {@code function}, {@code transform}, {@code
 *     workflow}, {@code router}, or a kind provided by a module; absent for role-only nodes
 * @param role how the router continues; {@code linear} when absent
 * @param description what the node does (shown in graphs, used by the embedded router)
 * @param agent the agent a {@code kind: agent} node runs
 * @param tool the tool a {@code kind: tool} node calls
 * @param args the tool's arguments, templated from state like {@code template}
 * @param function the registered Java function a {@code kind: function} node runs
 * @param template the value a {@code kind: transform} node builds from state
 * @param workflow the sub-workflow a {@code kind: workflow} node runs
 * @param route the dot-path, in a decision node's output, of the value matched against edges'
 *     {@code when:}; absent: the output itself
 * @param items the dot-path of state holding a split node's array; absent: the node's output
 * @param input a mapping of names to state paths that becomes the node's input
 * @param output an exit node's template for the run's result; absent: the whole state
 * @param retry how failed attempts are retried
 * @param interrupt suspend the run before or after this node
 * @param continueOnFailure on a branch or split node: a failed branch does not cancel its siblings
 * @param options settings for kinds provided by modules
 * @param router the settings of a {@code kind: router} node
 * @since 0.1
 */
public record NodeSpec(
    @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
    @Nullable String kind,
    @Nullable Role role,
    @Nullable String description,
    @Nullable String agent,
    @Nullable String tool,
    @Nullable JsonNode args,
    @Nullable String function,
    @Nullable JsonNode template,
    @Nullable String workflow,
    @Nullable String route,
    @Nullable String items,
    @Nullable Map<String, String> input,
    @Nullable JsonNode output,
    @Nullable @Valid RetrySpec retry,
    @Nullable InterruptMode interrupt,
    @Nullable Boolean continueOnFailure,
    @Nullable JsonNode options,
    @Nullable @Valid RouterSpec router) {

  /** The role, {@link Role#LINEAR} when absent. */
  public Role roleOrDefault() {
    return role == null ? Role.LINEAR : role;
  }

  /** A node with just an id, a kind and a role, for building workflows in code and tests. */
  public static NodeSpec of(String id, @Nullable String kind, @Nullable Role role) {
    return new NodeSpec(
        id, kind, role, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }
}
