package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.manifest.Manifests;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt validate}: the directory through {@link dev.agentrt.core.manifest.ManifestLoader},
 * so validating opens no checkpoint store (creates no database file) and starts no thread. The node
 * kinds of the executors on the classpath are accepted; their kind-specific keys (an agent's tools,
 * a tool's arguments) are checked when a runtime is built ({@code agentrt run}). A {@code kind:
 * function} node whose function no {@code FunctionProvider} on the class path provides is a warning
 * (on stderr, and in {@code --json}'s {@code warnings}).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Loads and checks every file of the configuration directory; prints each problem as file:line:col: message.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--json",
      description =
          "Print the outcome as one JSON object: {ok, workflows, agents, warnings}; problems as"
              + " {ok: false, error, exitCode, problems}.")
  boolean json;

  @Override
  public Integer call() {
    Manifests m = config.read();
    config.printWarnings(spec.commandLine().getErr());
    var out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = RunReport.MAPPER.createObjectNode();
      o.put("ok", true);
      o.put("workflows", m.workflows().size());
      o.put("agents", m.agents().size());
      config.putWarnings(o);
      out.print(RunReport.write(o, false) + "\n");
    } else {
      out.printf("OK: %d workflows, %d agents%n", m.workflows().size(), m.agents().size());
    }
    out.flush();
    return ExitCode.COMPLETED;
  }
}
