package dev.agentrt.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.AgentrtException;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.Durations;
import dev.agentrt.core.manifest.RetentionSpec;
import dev.agentrt.core.spi.CheckpointStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code agentrt prune}: deletes finished runs by the rules given, or by {@code
 * checkpoint.retention} of config.yml ({@link CheckpointStore#prune}).
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes finished runs (completed, failed, cancelled) of the checkpoint store, with their steps"
          + " and calls: beyond the newest --keep-last N, and older than --max-age.",
      "Without options the rules of checkpoint.retention in config.yml apply. Queued, running and"
          + " waiting runs are never deleted. Prints how many runs were deleted."
    })
final class PruneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--keep-last",
      paramLabel = "N",
      description = "Keep the newest N runs (all runs count); older finished runs are deleted.")
  Integer keepLast;

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      description =
          "Delete finished runs whose status last changed longer ago than this: 30d, 12h, 90m or"
              + " ISO-8601 like P30D.")
  String maxAge;

  @Option(
      names = "--json",
      description =
          "Print {\"ok\": true, \"deleted\": N, \"keepLast\": N|null, \"maxAge\": \"PT720H\"|null,"
              + " \"rules\": \"options\"|\"config\"}.")
  boolean json;

  @Override
  public Integer call() {
    if (keepLast != null && keepLast < 0)
      throw new ParameterException(
          spec.commandLine(), "--keep-last must be 0 or more, was " + keepLast);
    Duration age = maxAge == null ? null : age(maxAge);
    try (AgentRuntime rt = config.openForReading()) {
      config.printWarnings(spec.commandLine().getErr());
      Integer keep = keepLast;
      String rules = "options";
      if (keep == null && age == null) {
        RetentionSpec retention = retention(rt);
        if (retention == null || (retention.keepLast() == null && retention.maxAge() == null)) {
          throw new ParameterException(
              spec.commandLine(),
              "prune: no rule to apply: give --keep-last N and/or --max-age DURATION, or set"
                  + " checkpoint.retention: {keep_last: N, max_age: 30d} in config.yml");
        }
        keep = retention.keepLast();
        age = retention.maxAge();
        rules = "config";
      }
      int deleted = prune(rt, keep, age);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode o = RunReport.MAPPER.createObjectNode();
        o.put("ok", true);
        o.put("deleted", deleted);
        o.put("keepLast", keep);
        o.put("maxAge", age == null ? null : age.toString());
        o.put("rules", rules);
        out.print(RunReport.write(o, false) + "\n");
      } else {
        out.println(
            "Deleted "
                + deleted
                + (deleted == 1 ? " run" : " runs")
                + " ("
                + describe(keep, age)
                + ("config".equals(rules) ? ", from checkpoint.retention" : "")
                + ")");
      }
      out.flush();
      return ExitCode.COMPLETED;
    }
  }

  private Duration age(String text) {
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--max-age: " + e.getMessage());
    }
    if (d.isNegative())
      throw new ParameterException(spec.commandLine(), "--max-age must not be negative: " + text);
    return d;
  }

  private static @Nullable RetentionSpec retention(AgentRuntime rt) {
    CheckpointSpec checkpoint = rt.manifests().config().checkpoint();
    return checkpoint == null ? null : checkpoint.retention();
  }

  /** Prunes the runtime's store; a store that cannot is a user error naming it, not a trace. */
  static int prune(AgentRuntime rt, @Nullable Integer keepLast, @Nullable Duration maxAge) {
    CheckpointStore store = rt.checkpointStore();
    try {
      return store.prune(keepLast, maxAge);
    } catch (UnsupportedOperationException e) {
      throw new AgentrtException(
          "prune: the checkpoint store "
              + store.getClass().getSimpleName()
              + " cannot delete runs (it does not implement CheckpointStore.prune); set"
              + " checkpoint: {store: sqlite} in config.yml");
    }
  }

  private static String describe(@Nullable Integer keepLast, @Nullable Duration maxAge) {
    StringBuilder sb = new StringBuilder();
    if (keepLast != null) sb.append("kept the newest ").append(keepLast);
    if (maxAge != null) {
      if (sb.length() > 0) sb.append("; ");
      sb.append("older than ").append(human(maxAge));
    }
    return sb.toString();
  }

  /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} when whole, otherwise ISO-8601. */
  static String human(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() != 0 || s == 0) return d.toString();
    if (s % 86_400 == 0) return s / 86_400 + "d";
    if (s % 3_600 == 0) return s / 3_600 + "h";
    if (s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}
