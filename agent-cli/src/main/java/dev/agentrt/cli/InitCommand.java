package dev.agentrt.cli;

import dev.agentrt.core.AgentrtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt init [DIR]}: writes a configuration directory that runs at once, offline: a
 * scripted model, an agent with a tool, a workflow and an eval case.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Creates a configuration directory that runs offline at once: config.yml with a scripted model,",
      "an agent with a tool, a workflow, the model's script and an eval case. DIR must not exist or be empty."
    })
final class InitCommand implements Callable<Integer> {
  /** The files written, under {@code dev/agentrt/cli/init/} in the jar. */
  static final List<String> FILES =
      List.of(
          "config.yml",
          "agents/assistant.yml",
          "prompts/assistant.md",
          "workflows/ask.yml",
          "scripts/assistant.yml",
          "evals/ask.yml");

  /** The input of the example run, printed as the next command. */
  static final String INPUT =
      "{\"question\": \"How much is order 42?\", \"order\": {\"id\": 42, \"total\": 99.5}}";

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "DIR",
      arity = "0..1",
      defaultValue = ".agent",
      description = "The directory to create (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(dir) && !isEmptyDirectory(dir))
      throw new AgentrtException(
          dir
              + " exists and is not empty: init writes only into a new or empty directory (choose"
              + " another, e.g. agentrt init my-agents/.agent)");
    for (String file : FILES) {
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = InitCommand.class.getResourceAsStream("init/" + file)) {
        if (in == null)
          throw new IllegalStateException("init/" + file + " is missing from the jar");
        Files.copy(in, target);
      }
    }
    String config = dir.normalize().equals(Path.of(".agent")) ? "" : " --config " + dir;
    var out = spec.commandLine().getOut();
    out.println("created " + dir + ": " + String.join(", ", FILES));
    out.println("run it (offline, on the scripted model):");
    out.println("  agentrt run ask" + config + " --input '" + INPUT + "'");
    out.println("  agentrt eval" + config);
    out.println("  agentrt graph ask" + config);
    out.flush();
    return ExitCode.COMPLETED;
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
