package dev.agentrt.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A YAML document read the way agentrt reads its manifests, for tools that check YAML files of
 * their own with errors that point into the file (such as the eval cases of agent-testkit): YAML
 * 1.2 scalars (only {@code true}/{@code false} are booleans), anchors and aliases (bounded, so that
 * nested aliases cannot fill the memory), and the line and column of every value and key, addressed
 * by JSON pointer ({@code /cases/0/name}; {@code ~} and {@code /} in keys escaped as {@code ~0} and
 * {@code ~1}). Read one with {@link ManifestLoader#readYaml}. Immutable.
 *
 * @since 0.1
 */
public interface LocatedYaml {

  /** The document's value; a JSON null for an empty document. */
  JsonNode root();

  /**
   * {@code line:column} of the value at {@code pointer}, or of its nearest enclosing value ({@code
   * 1:1} for the document).
   */
  String locate(String pointer);

  /**
   * {@code line:column} of the key whose value is at {@code pointer} (for an unknown or duplicate
   * key), or {@link #locate} of the pointer if it is not a mapping's key.
   */
  String locateKey(String pointer);

  /**
   * The pointers of keys written twice in their mapping; the later value is the one in {@link
   * #root()}.
   */
  List<String> duplicateKeys();
}
