package dev.agentrt.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.StepResult;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes workflow YAML into a directory and builds a runtime over it. */
final class Fixture {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("(?m)^id:\\s*(\\S+)");

  private Fixture() {}

  /**
   * Writes {@code config.yml} (in-memory checkpoints, no default budget) and one file per workflow
   * into {@code dir}, and returns a builder for it with discovery off.
   */
  static AgentRuntime.Builder runtime(Path dir, String... workflows) {
    try {
      Files.createDirectories(dir.resolve("workflows"));
      Files.writeString(dir.resolve("config.yml"), "checkpoint: {store: memory}\n");
      for (String yaml : workflows) {
        Matcher m = ID.matcher(yaml);
        if (!m.find()) throw new IllegalArgumentException("workflow without id: " + yaml);
        Files.writeString(dir.resolve("workflows").resolve(m.group(1) + ".yml"), yaml);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return AgentRuntime.builder().configDir(dir).discovery(false);
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<String> keys(RunResult r) {
    return r.steps().stream().map(StepResult::key).toList();
  }

  static StepResult step(RunResult r, String key) {
    return r.step(key).orElseThrow(() -> new AssertionError("no step '" + key + "' in " + keys(r)));
  }

  /** Awaits a latch for at most 10 s; fails the caller if it is not released. */
  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(10, TimeUnit.SECONDS))
      throw new AssertionError("latch not released within 10 s");
  }

  static void await(CyclicBarrier barrier) throws InterruptedException {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new AssertionError("barrier broken or timed out", e);
    }
  }

  /** A listener that records every event, in arrival order. */
  static final class RecordingListener implements RunListener {
    final List<RunEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RunEvent event) {
      events.add(event);
    }

    <T extends RunEvent> List<T> of(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
