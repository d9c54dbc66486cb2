package dev.agentrt.llm.spi;

import dev.agentrt.core.manifest.ModelSpec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link ModelProvider} gets to build a model.
 *
 * @param name the model's key in {@code models:} ({@code default})
 * @param spec the entry as loaded ({@code ${env:...}} references already resolved)
 * @param configDir the configuration directory; relative paths in {@code spec} resolve here
 * @since 0.1
 */
public record ModelSetup(String name, ModelSpec spec, Path configDir) {
  public ModelSetup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(configDir, "configDir");
  }

  /** The temperature to use: {@code models.<name>.temperature}, 0 when absent. */
  public double temperatureOrZero() {
    return spec.temperature() == null ? 0.0 : spec.temperature();
  }
}
