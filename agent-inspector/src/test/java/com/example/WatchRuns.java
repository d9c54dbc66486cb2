package com.example;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.inspector.AgentInspector;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;

/** The example of docs/inspector.md, shown there word for word from the line "try (". */
public final class WatchRuns {
  private WatchRuns() {}

  /**
   * Runs {@code hello} with an inspector attached; {@code whileServing} is called with the page's
   * address and the run, before both close.
   */
  public static void watch(Path configDir, int port, BiConsumer<URI, RunResult> whileServing) {
    // docs:start
    try (AgentRuntime rt = AgentRuntime.builder().configDir(configDir).build();
        AgentInspector inspector = AgentInspector.start(rt, port)) {
      System.out.println("inspector at " + inspector.uri()); // http://127.0.0.1:7070/
      RunResult run = rt.run("hello", Map.of("name", "Ada"));
      whileServing.accept(inspector.uri(), run); // the page shows the run, and the next ones live
    }
    // docs:end
  }
}
