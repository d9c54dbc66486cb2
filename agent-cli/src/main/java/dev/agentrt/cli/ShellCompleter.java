package dev.agentrt.cli;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * Tab completion of {@code agentrt shell}: the slash commands, then workflow ids ({@code /run},
 * {@code /graph}), run ids of the session, newest first ({@code /show}, {@code /resume}), profile
 * names ({@code /profile}) and file names ({@code /attach}). The commands are a picocli model
 * completed by picocli-shell-jline3; the candidates are read when Tab is pressed.
 */
final class ShellCompleter implements Completer {
  private final Completer commands;
  private final Completer files = new Completers.FileNameCompleter();

  ShellCompleter(
      Supplier<? extends Collection<String>> workflows,
      Supplier<? extends Collection<String>> runs,
      Supplier<? extends Collection<String>> profiles) {
    CommandSpec shell = CommandSpec.create().name("");
    for (String[] c : ShellCommand.COMMANDS) {
      CommandSpec sub = CommandSpec.create().name(c[0]);
      Iterable<String> candidates =
          switch (c[0]) {
            case "/run", "/graph" -> () -> workflows.get().iterator();
            case "/show", "/resume" -> () -> runs.get().iterator();
            case "/profile" -> () -> profiles.get().iterator();
            default -> null;
          };
      if (candidates != null) {
        sub.addPositional(
            PositionalParamSpec.builder()
                .paramLabel("ARG")
                .arity("0..1")
                .index("0")
                .completionCandidates(candidates)
                .build());
      }
      shell.addSubcommand(c[0], sub);
    }
    this.commands = new PicocliJLineCompleter(shell);
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> words = line.words();
    if (line.wordIndex() >= 1 && !words.isEmpty() && words.get(0).equals("/attach")) {
      files.complete(reader, line, candidates);
    } else if (line.wordIndex() == 0 && !line.word().startsWith("/")) {
      // a plain line is text for the profile: nothing to complete
    } else {
      commands.complete(reader, line, candidates);
    }
  }
}
