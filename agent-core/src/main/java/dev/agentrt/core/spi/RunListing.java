package dev.agentrt.core.spi;

import java.util.List;

/**
 * What {@link CheckpointStore#summaries(RunQuery)} found: the runs it could read, and one message
 * for each run whose record it could not read back, so that one damaged record does not hide the
 * others.
 *
 * @param runs the readable runs that match the query, newest first
 * @param unreadable for each matching run that could not be read, a message naming the store, the
 *     run and the field (in the order the runs were met)
 * @since 0.1
 */
public record RunListing(List<RunSummary> runs, List<String> unreadable) {
  public RunListing {
    runs = List.copyOf(runs);
    unreadable = List.copyOf(unreadable);
  }
}
