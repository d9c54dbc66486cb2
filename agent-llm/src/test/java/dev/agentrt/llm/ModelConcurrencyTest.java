package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.llm.internal.AgentLoop;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code models.<name>.max_concurrency}: calls to one model in flight at once across runs. */
class ModelConcurrencyTest {
  @TempDir Path dir;
  Path c;

  /**
   * A registered model that counts the calls in flight; the first {@code held} calls stay inside
   * until {@link #gate} opens.
   */
  static final class GatedModel implements ChatModel {
    final int held;
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch heldInside;
    final CountDownLatch oneMoreInside;
    final CountDownLatch gate = new CountDownLatch(1);

    GatedModel(int held) {
      this.held = held;
      this.heldInside = new CountDownLatch(held);
      this.oneMoreInside = new CountDownLatch(held + 1);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
      int call = calls.incrementAndGet();
      try {
        heldInside.countDown();
        oneMoreInside.countDown();
        if (call <= held && !gate.await(10, TimeUnit.SECONDS))
          throw new AssertionError("gate not opened within 10 s");
        return ChatResponse.builder()
            .aiMessage(AiMessage.from("{\"verdict\":\"approve\"}"))
            .tokenUsage(new TokenUsage(10, 2))
            .build();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } finally {
        now.decrementAndGet();
      }
    }

    /** Whether a call beyond the held ones came in within a short while (it should not). */
    boolean oneMoreCameIn() throws InterruptedException {
      try {
        return oneMoreInside.await(250, TimeUnit.MILLISECONDS);
      } finally {
        gate.countDown();
      }
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    c = dir.resolve(".agent");
    for (String d : new String[] {"workflows", "agents"}) Files.createDirectories(c.resolve(d));
    Files.writeString(
        c.resolve("agents/reviewer.yml"),
        "name: reviewer\nprompt: Review {{input.change}}.\n"
            + "output: {schema: {type: object, required: [verdict]}}\n");
    Files.writeString(
        c.resolve("workflows/review.yml"),
        "id: review\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: review, kind: agent, agent: reviewer}\n"
            + "  - {id: done, role: exit, output: \"{{review}}\"}\n"
            + "edges:\n"
            + "  - {from: start, to: review}\n"
            + "  - {from: review, to: done}\n");
  }

  private void config(int maxConcurrency) throws IOException {
    // a real provider entry without a key: only the registered instance serves it
    Files.writeString(
        c.resolve("config.yml"),
        "checkpoint: {store: memory}\n"
            + "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-4.1-mini\n"
            + "    api_key: ${env:AGENTRT_TEST_KEY_NOT_SET:-}\n"
            + "    max_concurrency: "
            + maxConcurrency
            + "\n");
  }

  private AgentRuntime runtime(ChatModel model) {
    return AgentRuntime.builder().configDir(c).model("default", model).build();
  }

  @Test
  void sixRuns_maxConcurrencyTwo_atMostTwoCallsInFlightAndAllComplete() throws Exception {
    config(2);
    GatedModel model = new GatedModel(2);
    try (AgentRuntime rt = runtime(model)) {
      List<RunHandle> runs = new ArrayList<>();
      for (int i = 0; i < 6; i++) runs.add(rt.start("review", Map.of("change", "fix " + i)));
      if (!model.heldInside.await(10, TimeUnit.SECONDS))
        throw new AssertionError("two calls did not start within 10 s");

      // without the limit the four other runs' calls would be in flight at once
      assertThat(model.oneMoreCameIn()).as("a third call while two held the slots").isFalse();
      for (RunHandle h : runs) {
        RunResult r = h.await(Duration.ofSeconds(10));
        assertThat(r.status()).as(String.valueOf(r.message())).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.output().path("verdict").asText()).isEqualTo("approve");
      }
      assertThat(model.calls.get()).isEqualTo(6);
      assertThat(model.max.get()).isEqualTo(2);
    }
  }

  @Test
  void runWaitingForSlot_cancelled_stopsWaitingWithoutCallingTheModel() throws Exception {
    config(1);
    // the loop's debug line says when a call starts waiting for a slot
    Logger loop = (Logger) LoggerFactory.getLogger(AgentLoop.class);
    CountDownLatch waiting = new CountDownLatch(1);
    AppenderBase<ILoggingEvent> watch =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getMessage().endsWith("waiting for a slot")) waiting.countDown();
          }
        };
    watch.start();
    loop.addAppender(watch);
    loop.setLevel(Level.DEBUG);
    try {
      cancelWhileWaiting(waiting);
    } finally {
      loop.detachAppender(watch);
      loop.setLevel(null);
    }
  }

  private void cancelWhileWaiting(CountDownLatch waiting) throws Exception {
    GatedModel model = new GatedModel(1);
    try (AgentRuntime rt = runtime(model)) {
      RunHandle holder = rt.start("review", Map.of("change", "first"));
      if (!model.heldInside.await(10, TimeUnit.SECONDS))
        throw new AssertionError("the first call did not start within 10 s");
      RunHandle waiter = rt.start("review", Map.of("change", "second"));
      if (!waiting.await(10, TimeUnit.SECONDS))
        throw new AssertionError("the second run's call did not wait for a slot within 10 s");

      waiter.cancel();
      // the slot is still held by the first run: the second ends without it
      RunResult cancelled = waiter.await(Duration.ofSeconds(10));

      assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(model.calls.get()).isEqualTo(1);
      model.gate.countDown();
      assertThat(holder.await(Duration.ofSeconds(10)).status()).isEqualTo(RunStatus.COMPLETED);
    }
  }
}
