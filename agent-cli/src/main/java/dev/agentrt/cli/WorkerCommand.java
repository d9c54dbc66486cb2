package dev.agentrt.cli;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.Worker;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt worker}: executes the runs of the checkpoint store's queue until the process is
 * told to stop (SIGTERM, Ctrl-C), then drains: it claims no more runs, lets the runs in flight end
 * for {@code --drain-timeout}, and releases the others for another worker. Stopped by a signal, the
 * process exits as any JVM does (143 after SIGTERM).
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Claims queued runs (and runs whose owner died) from the checkpoint store and executes"
            + " them until stopped, printing '<run id> <workflow> <STATUS>' as each ends. On"
            + " SIGTERM it stops claiming, lets runs in flight finish for --drain-timeout, and"
            + " releases the rest to another worker.")
final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description = "Runs executed at once (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--poll",
      paramLabel = "DURATION",
      defaultValue = "PT0.25S",
      description = "How often an idle worker looks for work, ISO-8601 (default 250 ms).")
  Duration poll;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      defaultValue = "PT30S",
      description =
          "On stop, how long runs in flight may finish before they are released, ISO-8601"
              + " (default 30 s).")
  Duration drainTimeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (concurrency < 1) {
      err.println("agentrt: worker: --concurrency must be at least 1, was " + concurrency);
      err.flush();
      return ExitCode.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch drained = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                drained.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "agentrt-worker-stop");
    try (AgentRuntime rt = config.openServing()) {
      PrintWriter out = spec.commandLine().getOut();
      rt.addListener(new Reporter(out));
      Worker worker;
      try {
        worker = rt.worker(concurrency, poll);
      } catch (IllegalStateException e) {
        err.println("agentrt: worker: " + e.getMessage());
        err.flush();
        return ExitCode.USAGE;
      }
      Runtime.getRuntime().addShutdownHook(hook);
      err.println("agentrt: worker started (concurrency " + concurrency + "); stop with SIGTERM");
      err.flush();
      try {
        stopped.await();
      } finally {
        boolean clean = worker.drain(drainTimeout);
        err.println(
            "agentrt: worker stopped after "
                + worker.executed()
                + " runs"
                + (clean ? "" : "; runs still executing were released to another worker"));
        err.flush();
      }
    } finally {
      drained.countDown();
    }
    return ExitCode.COMPLETED;
  }

  /** One line on stdout per run that ends here: {@code <run id> <workflow> <STATUS>[ <reason>]}. */
  private static final class Reporter implements RunListener {
    private final PrintWriter out;

    Reporter(PrintWriter out) {
      this.out = out;
    }

    private void line(String runId, String workflowId, String status) {
      synchronized (out) {
        out.println(runId + " " + workflowId + " " + status);
        out.flush();
      }
    }

    @Override
    public void runCompleted(RunEvent.RunCompleted e) {
      line(e.runId(), e.workflowId(), "COMPLETED");
    }

    @Override
    public void runFailed(RunEvent.RunFailed e) {
      line(e.runId(), e.workflowId(), e.status() + " " + e.reason());
    }

    @Override
    public void runSuspended(RunEvent.RunSuspended e) {
      line(e.runId(), e.workflowId(), "WAITING " + e.reason());
    }
  }
}
