package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.Manifests;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentrt graph}: loads the directory as {@code validate} does, without a runtime. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = "Prints a workflow as a Mermaid diagram.")
final class GraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Parameters(paramLabel = "WORKFLOW", description = "The workflow's id.")
  String workflow;

  @Override
  public Integer call() {
    Manifests m = config.read();
    config.printWarnings(spec.commandLine().getErr());
    String diagram = AgentRuntime.mermaid(m, workflow);
    var out = spec.commandLine().getOut();
    out.print(diagram.endsWith("\n") ? diagram : diagram + "\n");
    out.flush();
    return ExitCode.COMPLETED;
  }
}
