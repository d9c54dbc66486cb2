package dev.agentrt.tools.internal;

import static dev.agentrt.tools.TestSupport.args;
import static dev.agentrt.tools.TestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.tools.TestSupport;
import dev.agentrt.tools.ToolBus;
import dev.agentrt.tools.ToolInvocation;
import dev.agentrt.tools.ToolPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** grep against hostile input: runaway patterns, huge files, huge lines. */
class GrepLimitsTest {
  static final Optional<Path> RG = Processes.onPath("rg", System.getenv("PATH"));
  @TempDir Path dir;
  Path ws;
  ToolBus bus;

  @BeforeEach
  void setUp() throws IOException {
    ws = Files.createDirectories(dir.resolve("ws")).toRealPath();
    Files.writeString(ws.resolve("small.txt"), "a needle here\n");
  }

  @AfterEach
  void close() {
    if (bus != null) bus.close();
  }

  ToolBus bus(Optional<Path> rg, String settings) {
    bus =
        ToolBus.builder()
            .discovery(false)
            .tool(new GrepTool(rg))
            .policy(
                ToolPolicy.builder()
                    .workspace(ws)
                    .toolSettings("grep", TestSupport.json(settings))
                    .build())
            .build();
    return bus;
  }

  @Test
  void grep_catastrophicPattern_finishesAndLeavesNoThreadSpinning() throws Exception {
    Files.writeString(
        ws.resolve("a.txt"),
        "a".repeat(40) + "!\n"); // about 40^15 ways for a backtracking engine to fail
    ExecutorService threads = Executors.newCachedThreadPool();
    ToolBus b =
        ToolBus.builder()
            .discovery(false)
            .tool(new GrepTool(Optional.empty()))
            .executor(threads)
            .policy(
                ToolPolicy.builder()
                    .workspace(ws)
                    .toolSettings("grep", TestSupport.json("{'timeout': 'PT5S'}"))
                    .build())
            .build();
    try {
      JsonNode v = value(b.call(ToolInvocation.of("grep", args("pattern", "(.*a){15}b"))));

      assertThat(v.get("matches")).isEmpty();
    } finally {
      b.close();
      threads.shutdownNow();
    }
    // a backtracking engine would still be matching, deaf to the interrupt
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void grep_hugeSparseFile_streamsItAndSkipsItAsBinary() throws IOException {
    Path big = ws.resolve("big.log");
    Files.writeString(big, "needle before the hole\n".repeat(500));
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(3L * 1024 * 1024 * 1024); // 3 GiB, no disk used
    }

    JsonNode v =
        value(
            bus(Optional.empty(), "{}").call(ToolInvocation.of("grep", args("pattern", "needle"))));

    assertThat(v)
        .isEqualTo(
            TestSupport.json(
                "{'matches': [{'path': 'small.txt', 'line': 1, 'text': 'a needle here'}], "
                    + "'truncated': false, 'engine': 'java'}"));
  }

  @Test
  void grep_lineLongerThanTheLimit_searchesItsBeginningWithNote() throws IOException {
    try (OutputStream out = Files.newOutputStream(ws.resolve("long.txt"))) {
      out.write("first needle ".getBytes(StandardCharsets.UTF_8));
      out.write("x".repeat(GrepTool.MAX_LINE_BYTES).getBytes(StandardCharsets.UTF_8));
      out.write(" late needle\nshort needle\n".getBytes(StandardCharsets.UTF_8));
    }

    JsonNode v =
        value(
            bus(Optional.empty(), "{}")
                .call(ToolInvocation.of("grep", args("pattern", "needle", "path", "long.txt"))));

    assertThat(v.get("matches"))
        .isEqualTo(
            TestSupport.json(
                "[{'path': 'long.txt', 'line': 1, 'text': 'first needle "
                    + "x".repeat(487)
                    + "...'}, {'path': 'long.txt', 'line': 2, 'text': 'short needle'}]"));
    assertThat(v.get("notes"))
        .containsExactly(
            com.fasterxml.jackson.databind.node.TextNode.valueOf(
                "'long.txt': line 1 longer than 4194304 bytes: only the first 4194304 bytes were searched"));
  }

  @Test
  void grep_ripgrepMatchOnA20MegabyteLine_isReadWithoutParsingTheLine() throws IOException {
    assumeTrue(RG.isPresent(), "rg is not on PATH");
    try (OutputStream out = Files.newOutputStream(ws.resolve("huge-line.txt"))) {
      out.write("x".repeat(21 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
      out.write(" needle\nnext needle\n".getBytes(StandardCharsets.UTF_8));
    }

    JsonNode v = value(bus(RG, "{}").call(ToolInvocation.of("grep", args("pattern", "needle"))));

    assertThat(v)
        .isEqualTo(
            TestSupport.json(
                "{'matches': ["
                    + "{'path': 'huge-line.txt', 'line': 1, 'text': '"
                    + "x".repeat(500)
                    + "...'},"
                    + "{'path': 'huge-line.txt', 'line': 2, 'text': 'next needle'},"
                    + "{'path': 'small.txt', 'line': 1, 'text': 'a needle here'}], 'truncated': false, 'engine': 'ripgrep'}"));
  }
}
