package dev.agentrt.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.internal.Template;
import dev.agentrt.core.spi.NodeInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A YAML value templated from run state, as {@code transform} nodes use it: a string that is
 * exactly {@code {{path}}} becomes the JSON value at that dot-path of state, {@code {{path}}}
 * inside a longer string is interpolated (ARCHITECTURE §3). For executors of other kinds (the
 * {@code args:} of a {@code kind: tool} node). Compile once, at load; evaluate per step. Immutable
 * and thread-safe.
 *
 * @since 0.1
 */
public final class Templates {
  private final Template template;
  private final List<String> paths;

  private Templates(Template template) {
    this.template = template;
    List<String> p = new ArrayList<>();
    template.paths(sp -> p.add(sp.toString()));
    this.paths = List.copyOf(p);
  }

  /**
   * Compiles a template.
   *
   * @throws IllegalArgumentException if a {@code {{path}}} is malformed, with a readable message
   */
  public static Templates compile(JsonNode value) {
    return new Templates(Template.compile(Objects.requireNonNull(value, "value")));
  }

  /** Every state path the template reads, in order; empty for a constant. */
  public List<String> paths() {
    return paths;
  }

  /** Whether the template reads no state (its value is the compiled value). */
  public boolean isConstant() {
    return paths.isEmpty();
  }

  /**
   * Builds the value from a step's view of state.
   *
   * @throws MissingPathException if a path the template reads is not in state
   */
  public JsonNode evaluate(NodeInput input) {
    Objects.requireNonNull(input, "input");
    try {
      return template.evaluate(input::get);
    } catch (Template.TemplateException e) {
      throw new MissingPathException(e.path(), e.getMessage());
    }
  }

  /**
   * A path a template reads is not in state.
   *
   * @since 0.1
   */
  public static final class MissingPathException extends AgentrtException {
    private final String path;

    MissingPathException(String path, String message) {
      super(message);
      this.path = path;
    }

    /** The missing path. */
    public String path() {
      return path;
    }
  }
}
