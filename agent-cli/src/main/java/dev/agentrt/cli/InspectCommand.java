package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.inspector.AgentInspector;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt inspect}: serves the inspector over the configuration's checkpoint store until the
 * process is stopped (Ctrl-C or SIGTERM closes the server, then the runtime).
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a read-only web page over the runs of the checkpoint store, until stopped (Ctrl-C).",
      "Runs, each run's timeline with its LLM and tool calls, the workflow graph with the path taken, and the"
          + " registry of agents, tools and models (docs/inspector.md)."
    })
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "7070",
      description = "The port (default: ${DEFAULT-VALUE}; 0 for a free one).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "The address to bind (default: ${DEFAULT-VALUE}). Another one shows the runs to the network,"
              + " without authentication.")
  String host;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "shipping (contents hidden) or debug (contents shown, secrets masked); default:"
              + " AGENTRT_OBS_MODE, else telemetry.mode of config.yml, else shipping.")
  String mode;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535)
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, was " + port);
    AgentInspector.Mode chosen = null;
    if (mode != null) {
      try {
        chosen = AgentInspector.Mode.of(mode);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
      }
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--host: unknown address '" + host + "'");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AgentRuntime rt = config.openForReading();
    AgentInspector inspector;
    try {
      AgentInspector.Builder b = AgentInspector.builder(rt).port(port).bindAddress(address);
      if (chosen != null) b.mode(chosen);
      inspector = b.start();
    } catch (java.io.UncheckedIOException e) {
      rt.close();
      throw new AgentrtException(e.getMessage(), e); // a port in use is a usage error: no trace
    } catch (RuntimeException e) {
      rt.close();
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              inspector.close();
              rt.close();
              stopped.countDown();
            },
            "agentrt-inspect-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    out.println(
        "agentrt inspector at "
            + inspector.uri()
            + " ("
            + inspector.mode().name().toLowerCase(java.util.Locale.ROOT)
            + " mode); Ctrl-C to stop");
    out.flush();
    if (!address.isLoopbackAddress())
      err.println(
          "agentrt: the inspector is bound to "
              + address.getHostAddress()
              + ": anyone who can reach it sees the runs (it has no authentication)");
    String note = Runs.volatileStoreNote(rt);
    if (note != null)
      err.println("agentrt: " + note + "; the page shows only runs of this process");
    err.flush();
    stopped.await();
    return ExitCode.COMPLETED;
  }
}
