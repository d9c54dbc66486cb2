package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.ManifestLoader;
import dev.agentrt.core.manifest.ManifestProblem;
import dev.agentrt.core.manifest.Manifests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code --config DIR}, shared by every subcommand, and how a command reads it: strictly for the
 * commands that run workflows ({@link #open()}, {@link #load()}), leniently for those that only
 * read ({@link #read()}, {@link #openForReading()}): there a function that is not on the class path
 * is a warning ({@link #warnings()}), not an error.
 */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "DIR",
      defaultValue = ".agent",
      description = "The configuration directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  private final List<ManifestProblem> warnings = new ArrayList<>();

  /**
   * Loads and checks the directory, traced and measured by the process's telemetry; throws {@code
   * ManifestException} listing every problem, or an {@code AgentrtException} naming the functions
   * the nodes call that no {@code FunctionProvider} on the class path provides.
   */
  AgentRuntime open() {
    checked();
    return build(AgentRuntime.builder().configDir(dir).housekeeping(false));
  }

  /**
   * {@link #open()} for a process that serves the store for long ({@code agentrt worker}): the
   * runtime applies {@code checkpoint.recover_on_start} and {@code checkpoint.retention}, which the
   * other commands leave to such processes.
   */
  AgentRuntime openServing() {
    checked();
    return build(AgentRuntime.builder().configDir(dir).housekeeping(true));
  }

  /**
   * A runtime for reading runs ({@code runs}, {@code show}, {@code replay}): a function that is not
   * on the class path is a warning, and a node calling it fails if it runs.
   */
  AgentRuntime openForReading() {
    ManifestLoader.Result result = lenient();
    result.orThrow();
    AgentRuntime.Builder builder = AgentRuntime.builder().configDir(dir).housekeeping(false);
    for (String name : result.unregisteredFunctions()) {
      builder.function(
          name,
          (input, context) -> {
            throw new AgentrtException(
                "function '" + name + "' is not on the class path of this agentrt process");
          });
    }
    return build(builder);
  }

  private AgentRuntime build(AgentRuntime.Builder builder) {
    AgentRuntime rt =
        AppClassPath.withContextLoader(() -> CliTelemetry.get().buildRuntime(builder));
    LogRedaction.add(rt.manifests().redactor());
    return rt;
  }

  /**
   * Loads and checks the directory without a runtime: no checkpoint store is opened and no executor
   * or thread is created. Throws as {@link #open()} does.
   */
  Manifests load() {
    return checked();
  }

  /**
   * Loads and checks the directory as {@link #load()} does, a function that is not on the class
   * path being a warning ({@code validate}, {@code graph}).
   */
  Manifests read() {
    return lenient().orThrow();
  }

  /**
   * The capability registry of the directory, loaded as {@link #read()} does, with the tools on the
   * classpath. Throws {@code ManifestException} listing every problem.
   */
  Capabilities capabilities() {
    return lenient().capabilities();
  }

  /** The warnings of the last lenient load, in file order. */
  List<ManifestProblem> warnings() {
    return List.copyOf(warnings);
  }

  /** Prints each warning on {@code err} ({@code agentrt: warning: file:line:col: message}). */
  void printWarnings(PrintWriter err) {
    for (ManifestProblem w : warnings)
      err.println("agentrt: warning: " + LogRedaction.redact(w.toString()));
    err.flush();
  }

  /** Adds {@code warnings}: an array of {file, line, column, message} (empty when none). */
  void putWarnings(ObjectNode o) {
    ArrayNode array = o.putArray("warnings");
    for (ManifestProblem w : warnings) {
      array
          .addObject()
          .put("file", w.file())
          .put("line", w.line())
          .put("column", w.column())
          .put("message", LogRedaction.redact(w.message()));
    }
  }

  private ManifestLoader.Result lenient() {
    ManifestLoader.Result result =
        AppClassPath.withContextLoader(
            () -> ManifestLoader.builder().lenientFunctions(true).build().load(dir));
    warnings.clear();
    warnings.addAll(result.warnings());
    result.manifests().ifPresent(m -> LogRedaction.add(m.redactor()));
    return result;
  }

  /** The manifests, with an unregistered function an error that says to use --classpath. */
  private Manifests checked() {
    ManifestLoader.Result result = lenient();
    warnings.clear();
    Manifests m = result.orThrow();
    if (result.unregisteredFunctions().isEmpty()) return m;
    String names =
        result.unregisteredFunctions().stream()
            .map(n -> "'" + n + "'")
            .collect(Collectors.joining(", "));
    boolean one = result.unregisteredFunctions().size() == 1;
    StringBuilder message =
        new StringBuilder("function")
            .append(one ? " " : "s ")
            .append(names)
            .append(one ? " is" : " are")
            .append(" not registered: no FunctionProvider on the class path provides ")
            .append(one ? "it" : "them")
            .append(
                AppClassPath.given()
                    ? " (none of the --classpath entries does: list the provider in"
                        + " META-INF/services/dev.agentrt.core.spi.FunctionProvider)"
                    : " (give the application's classes with --classpath DIR|JAR, its provider"
                        + " listed in META-INF/services/dev.agentrt.core.spi.FunctionProvider)");
    for (ManifestProblem w : result.warnings()) message.append("\n  ").append(w);
    throw new AgentrtException(message.toString());
  }
}
