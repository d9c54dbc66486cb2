package dev.agentrt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(
    name = "agentrt",
    mixinStandardHelpOptions = true,
    versionProvider = AgentrtCommand.Version.class,
    description =
        "Validates, runs and draws the agent workflows of a configuration directory; lists, shows, "
            + "resumes, replays, forks and prunes the runs of its checkpoint store.",
    subcommands = {
      ValidateCommand.class,
      RunCommand.class,
      GraphCommand.class,
      RunsCommand.class,
      ShowCommand.class,
      ResumeCommand.class,
      ReplayCommand.class,
      ForkCommand.class,
      MemoryCommand.class,
      CapabilitiesCommand.class,
      EvalCommand.class,
      InspectCommand.class,
      InitCommand.class,
      BackupCommand.class,
      PruneCommand.class,
      EnqueueCommand.class,
      WorkerCommand.class,
      ShellCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:completed",
      "1:the run failed or was cancelled",
      "2:bad usage or configuration; an unknown run or step; a run that cannot be resumed (finished, or owned by "
          + "a live process)",
      "3:the run waits for input",
      "4:this process lost the run to another owner, which took its lease over; the run has not failed and "
          + "continues there (do not retry it)"
    })
final class AgentrtCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description =
          "Print agentrt's debug log on stderr, with the"
              + " stack traces of failures (credentials removed).")
  void verbose(boolean verbose) {
    Verbose.set(verbose);
  }

  @Option(
      names = {"-cp", "--classpath"},
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description =
          "The application's jars and class directories, separated by '${sys:path.separator}'"
              + " (dir/* for every jar of dir): their FunctionProviders, ToolProviders and"
              + " output record types are used.")
  void classpath(String pathList) {
    if (pathList == null) return; // picocli's reset to the default: keep what was given
    try {
      AppClassPath.set(pathList);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, pathList);
    }
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: validate, run, graph, runs, show, resume, replay, fork, memory,"
            + " capabilities or eval");
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AgentrtCommand.class.getPackage().getImplementationVersion();
      return new String[] {"agentrt " + (v == null ? "(development build)" : v)};
    }
  }
}
