package dev.agentrt.cli;

import dev.agentrt.testkit.eval.EvalReport;
import dev.agentrt.testkit.eval.EvalRunner;
import dev.agentrt.testkit.eval.EvalSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt eval}: runs the cases of {@code evals/*.yml}, each run on a fresh copy of the
 * configuration with an in-memory store and scripted models, and prints a table.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the eval cases of the directory's evals/*.yml and prints a table, then the failures.",
      "Exit 0 if every case passed, 1 if one failed, 2 if an eval file or the configuration is bad."
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--filter",
      paramLabel = "NAME",
      description = "Run only the cases whose name contains NAME, or matches it as a glob (a*b?).")
  @Nullable String filter;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Option(
      names = "--junit-xml",
      paramLabel = "FILE",
      description = "Also write a JUnit XML report to FILE, for CI.")
  @Nullable Path junitXml;

  @Option(
      names = "--real",
      description =
          "Call the real models whose config.yml entry has its api_key set instead of replaying"
              + " the cases' scripts.")
  boolean real;

  @Override
  public Integer call() throws IOException {
    config.load(); // the configuration first: its problems, with file:line:col, exit 2
    EvalSuite suite = EvalSuite.load(config.dir);
    if (filter != null) suite = suite.filter(filter);
    var out = spec.commandLine().getOut();
    if (suite.cases().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "agentrt: no eval case"
                  + (filter == null
                      ? " in " + config.dir.resolve("evals")
                      : " matches '" + filter + "'"));
      return ExitCode.USAGE;
    }
    Path temp = Files.createTempDirectory("agentrt-eval-");
    EvalReport report;
    EvalSuite selected = suite;
    try {
      report =
          AppClassPath.withContextLoader(
              () -> EvalRunner.builder(config.dir, temp).realModels(real).build().run(selected));
    } finally {
      delete(temp);
    }
    out.print(json ? report.json() : report.table());
    out.flush();
    if (junitXml != null) {
      Path parent = junitXml.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(junitXml, report.junitXml("agentrt-eval"));
    }
    return report.passed() ? ExitCode.COMPLETED : ExitCode.FAILED;
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is not worth failing the command for
    }
  }
}
