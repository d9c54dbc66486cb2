package dev.agentrt.core.spi;

import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.NodeSpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The node keys that belong to one kind, and their check when the manifests load: {@code tool} and
 * {@code args} for kind {@code tool}, {@code template} for kind {@code transform}. Each kind
 * declares its keys here, in one place: the loader reports one of them on a node of another kind
 * ({@code template: applies to kind transform only}), and runs {@link #check} on every node of the
 * kind (a required key is present, what it names exists).
 *
 * <p>It holds no resources: the loader uses it without creating the kind's executor ({@code
 * ManifestLoader} and {@code agentrt validate} read it from the {@link NodeExecutorProvider}), so
 * it must not open pools, connections or files. Checks that need the executor's resources
 * (policies, models) belong in {@link NodeExecutor#validate}, which runs once the runtime is built.
 *
 * @since 0.1
 */
public interface NodeKeys {

  /**
   * The keys only nodes of this kind take: names of {@link NodeSpec} fields such as {@code tool} or
   * {@code args} (keys every node takes, such as {@code id} or {@code input}, are not listed).
   */
  Set<String> keys();

  /**
   * Checks a node of this kind: its required keys are present and what they name exists. A problem
   * with an empty {@link NodeProblem#field()} is located at the node: use it for a required key
   * that is missing (the loader drops it when the node has an unknown key, likely that key
   * misspelt). Called only for nodes of this kind.
   *
   * @param node the node to check
   * @param manifests everything loaded from the configuration directory
   * @return the problems found, empty if none
   */
  List<NodeProblem> check(NodeSpec node, Manifests manifests);

  /**
   * The {@code route:} a decision node of this kind that declares none routes on: a dot-path in the
   * node's output (the embedded router's {@code chosen}). Default: null, the output itself.
   *
   * @param node a decision node of this kind without {@code route:}
   * @return the dot-path, or null for the output itself
   * @since 0.1
   */
  default @Nullable String defaultRoute(NodeSpec node) {
    return null;
  }

  /** A kind without keys of its own, whose nodes are not checked here. */
  static NodeKeys none() {
    return of(Set.of(), (node, manifests) -> List.of());
  }

  /**
   * A kind owning {@code keys}, whose nodes {@code check} checks.
   *
   * @param keys the keys only this kind takes
   * @param check as {@link #check}
   */
  static NodeKeys of(Set<String> keys, BiFunction<NodeSpec, Manifests, List<NodeProblem>> check) {
    Set<String> copy = Set.copyOf(keys);
    Objects.requireNonNull(check, "check");
    return new NodeKeys() {
      @Override
      public Set<String> keys() {
        return copy;
      }

      @Override
      public List<NodeProblem> check(NodeSpec node, Manifests manifests) {
        return check.apply(node, manifests);
      }
    };
  }

  /** {@code "kind tool needs tool: (hint)"}: a required key is missing, located at the node. */
  static NodeProblem missing(String kind, String key, String hint) {
    return new NodeProblem("", "kind " + kind + " needs " + key + ": (" + hint + ")");
  }
}
