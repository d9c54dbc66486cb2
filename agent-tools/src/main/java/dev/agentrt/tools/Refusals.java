package dev.agentrt.tools;

import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.spi.Suggestions;
import dev.agentrt.core.spi.ToolResult;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Why the bus refuses a call before running it: an unknown tool, a tool the caller may not call or
 * the policy does not allow, arguments that do not match the tool's schema. Each refusal names the
 * tool and says what to change.
 */
final class Refusals {
  private final ToolPolicy policy;
  private final Set<String> known;

  Refusals(ToolPolicy policy, Set<String> known) {
    this.policy = policy;
    this.known = known;
  }

  /** The refusal of {@code inv} by permission, policy or argument schema, or null if it may run. */
  ToolResult.@Nullable Failure refuse(RegisteredTool r, ToolInvocation inv) {
    ToolResult.Failure denied = deny(r, inv.agent(), inv.allowed());
    if (denied != null) return denied;
    String problem = r.validator().validate(inv.arguments());
    return problem != null ? invalid(inv.tool(), problem) : null;
  }

  /** The refusal by the caller's allowed list or the policy, or null if neither refuses. */
  ToolResult.@Nullable Failure deny(
      RegisteredTool r, @Nullable String agent, @Nullable Collection<String> allowed) {
    String name = r.name();
    if (allowed != null && !allowed.contains(name)) {
      String who = agent == null ? "the caller" : "agent '" + agent + "'";
      String where =
          agent == null ? "the caller's allowed tools" : "tools: in agents/" + agent + ".yml";
      return new ToolResult.Failure(
          ToolFailureKind.DENIED,
          "tool '"
              + name
              + "' denied: "
              + who
              + " lacks permission '"
              + name
              + "' (add "
              + name
              + " to "
              + where
              + ")");
    }
    if (!policy.enabled(name)) {
      return new ToolResult.Failure(
          ToolFailureKind.DENIED,
          "tool '"
              + name
              + "' denied: disabled by policy"
              + " (policy.tools."
              + name
              + ".enabled is false in config.yml)");
    }
    for (String p : r.descriptor().permissions()) {
      String why = policy.denial(p);
      if (why != null)
        return new ToolResult.Failure(ToolFailureKind.DENIED, "tool '" + name + "' denied: " + why);
    }
    return null;
  }

  ToolResult.Failure unknown(String tool) {
    String hint = Suggestions.didYouMean(tool, known);
    return new ToolResult.Failure(
        ToolFailureKind.UNKNOWN_TOOL,
        "unknown tool '"
            + tool
            + "'"
            + (hint.isEmpty()
                ? " (known tools: " + String.join(", ", new TreeSet<>(known)) + ")"
                : hint));
  }

  static ToolResult.Failure invalid(String tool, String problem) {
    return new ToolResult.Failure(
        ToolFailureKind.INVALID_ARGUMENTS, "tool '" + tool + "': invalid arguments: " + problem);
  }
}
