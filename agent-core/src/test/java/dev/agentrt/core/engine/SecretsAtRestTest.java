package dev.agentrt.core.engine;

import static dev.agentrt.core.engine.Fixture.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.FailureReason;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.StepStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.RunLog;
import dev.agentrt.core.spi.RunQuery;
import dev.agentrt.core.spi.RunRecord;
import dev.agentrt.core.spi.StepRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint store is an export too: known secrets are masked by the engine before any {@link
 * CheckpointStore} receives a record, whatever the store.
 */
class SecretsAtRestTest {
  static final String TOKEN = "hook-tok-PLANTED-91c2e7";

  @TempDir Path dir;

  /**
   * A store that keeps the text of everything the engine gives it, in front of an in-memory store.
   */
  static final class CapturingStore implements CheckpointStore {
    final CheckpointStore delegate = CheckpointStore.inMemory(10);
    final List<String> written = new CopyOnWriteArrayList<>();

    @Override
    public RunLog create(RunRecord run) {
      written.add(run.toString());
      return wrap(delegate.create(run));
    }

    @Override
    public RunLog open(String runId) {
      return wrap(delegate.open(runId));
    }

    private RunLog wrap(RunLog log) {
      return new RunLog() {
        @Override
        public RunRecord run() {
          return log.run();
        }

        @Override
        public List<StepRecord> steps() {
          return log.steps();
        }

        @Override
        public List<CallRecord> calls(String stepKey) {
          return log.calls(stepKey);
        }

        @Override
        public void appendStep(StepRecord step, List<CallRecord> withStep) {
          written.add(step.toString());
          withStep.forEach(c -> written.add(c.toString()));
          log.appendStep(step, withStep);
        }

        @Override
        public void appendCall(CallRecord call) {
          written.add(call.toString());
          log.appendCall(call);
        }

        @Override
        public void updateStatus(
            RunStatus status,
            @Nullable FailureReason reason,
            @Nullable String stepKey,
            @Nullable String message,
            JsonNode output) {
          written.add(status + " " + message + " " + output);
          log.updateStatus(status, reason, stepKey, message, output);
        }

        @Override
        public void close() {
          log.close();
        }
      };
    }

    @Override
    public Optional<RunRecord> find(String runId) {
      return delegate.find(runId);
    }

    @Override
    public List<RunRecord> list(RunQuery query) {
      return delegate.list(query);
    }

    @Override
    public List<StepRecord> steps(String runId) {
      return delegate.steps(runId);
    }

    @Override
    public List<CallRecord> calls(String runId) {
      return delegate.calls(runId);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private static final String HEADER_WORKFLOW =
      """
      id: hook
      nodes:
        - {id: start, role: start}
        - {id: build, kind: transform, template: {headers: {Authorization: "Bearer ${env:HOOK_TOKEN}"}}}
        - {id: call, kind: function, function: call}
        - {id: done, role: exit}
      edges:
        - {from: start, to: build}
        - {from: build, to: call}
        - {from: call, to: done}
      """;

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Rewrites config.yml so that it resolves {@code ${env:variable}} (in a setting that is not a
   * credential).
   */
  private void credentialInConfig(String variable) {
    try {
      Files.writeString(
          dir.resolve("config.yml"),
          "checkpoint: {store: memory}\ntelemetry: {redact: [\"${env:" + variable + "}\"]}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AgentRuntime.Builder hookRuntime(CapturingStore store, AtomicReference<String> sent) {
    return runtime(dir, HEADER_WORKFLOW)
        .checkpointStore(store)
        .environment(n -> n.equals("HOOK_TOKEN") ? TOKEN : null)
        .function(
            "call",
            (in, ctx) -> {
              String header = in.get("build.headers.Authorization").asText();
              sent.set(header);
              ObjectNode request = Fixture.MAPPER.createObjectNode();
              request.putObject("headers").put("Authorization", header);
              ctx.calls()
                  .record(
                      new CallRecord(
                          ctx.runId(),
                          ctx.stepKey(),
                          0,
                          CallKind.INTENT,
                          "hook",
                          sha256(request.toString()),
                          request,
                          Fixture.MAPPER.createObjectNode().put("echo", header),
                          BudgetUsage.ZERO,
                          ctx.clock().instant(),
                          Duration.ZERO));
              return TextNode.valueOf("sent with " + header);
            });
  }

  @Test
  void run_headerBuiltFromEnvSecret_storeReceivesItMaskedEverywhere() {
    CapturingStore store = new CapturingStore();
    AtomicReference<String> sent = new AtomicReference<>();
    try (AgentRuntime rt = hookRuntime(store, sent).build()) {
      RunResult r = rt.run("hook", Map.of("note", "uses " + TOKEN));

      assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
      // the live run works with the real value; only what is persisted is masked
      assertThat(sent.get()).isEqualTo("Bearer " + TOKEN);
      assertThat(r.output().path("call").asText()).isEqualTo("sent with Bearer " + TOKEN);
      assertThat(store.written).isNotEmpty().noneMatch(w -> w.contains(TOKEN));
      RunRecord run = store.find(r.runId()).orElseThrow();
      assertThat(run.input().path("note").asText()).isEqualTo("uses ****");
      assertThat(run.output().path("call").asText()).isEqualTo("sent with Bearer ****");
      CallRecord intent =
          store.calls(r.runId()).stream()
              .filter(c -> c.kind() == CallKind.INTENT)
              .findFirst()
              .orElseThrow();
      assertThat(intent.request().path("headers").path("Authorization").asText())
          .isEqualTo("Bearer ****");
      assertThat(intent.response().path("echo").asText()).isEqualTo("Bearer ****");
      // the hash is the caller's, of the unmasked request: a resumed identical request still
      // matches
      assertThat(intent.requestHash())
          .isEqualTo(sha256("{\"headers\":{\"Authorization\":\"Bearer " + TOKEN + "\"}}"));
      StepRecord build =
          store.steps(r.runId()).stream()
              .filter(s -> s.nodeId().equals("build"))
              .findFirst()
              .orElseThrow();
      assertThat(build.output().path("headers").path("Authorization").asText())
          .isEqualTo("Bearer ****");
    }
  }

  @Test
  void run_failedStepMessageHoldsSecret_errorAndRunMessageAreMasked() {
    String wf =
        """
        id: leak
        nodes:
          - {id: start, role: start}
          - {id: boom, kind: function, function: boom}
          - {id: done, role: exit}
        edges:
          - {from: start, to: boom}
          - {from: boom, to: done}
        """;
    AgentRuntime.Builder b = runtime(dir, wf);
    // the secret reaches the configuration through a credential-named variable, in any file
    credentialInConfig("SERVICE_PASSWORD");
    CapturingStore store = new CapturingStore();
    try (AgentRuntime rt =
        b.checkpointStore(store)
            .environment(n -> n.equals("SERVICE_PASSWORD") ? TOKEN : null)
            .function(
                "boom",
                (in, ctx) -> {
                  throw new IllegalStateException("login refused for password " + TOKEN);
                })
            .build()) {
      RunResult r = rt.run("leak", null);

      assertThat(r.status()).isEqualTo(RunStatus.FAILED);
      assertThat(store.written).isNotEmpty().noneMatch(w -> w.contains(TOKEN));
      assertThat(store.find(r.runId()).orElseThrow().message())
          .isEqualTo("step 'boom#0' (node 'boom') failed: login refused for password ****");
      StepRecord boom =
          store.steps(r.runId()).stream()
              .filter(s -> s.status() == StepStatus.FAILED)
              .findFirst()
              .orElseThrow();
      assertThat(boom.error()).isEqualTo("login refused for password ****");
    }
  }

  @Test
  void resume_stepOutputHeldSecret_resumedRunSeesTheMask() {
    String wf =
        """
        id: later
        nodes:
          - {id: start, role: start}
          - {id: build, kind: transform, template: {headers: {Authorization: "Bearer ${env:HOOK_TOKEN}"}}}
          - {id: use, kind: function, function: use, interrupt: before}
          - {id: done, role: exit, output: "{{use}}"}
        edges:
          - {from: start, to: build}
          - {from: build, to: use}
          - {from: use, to: done}
        """;
    CapturingStore store = new CapturingStore();
    try (AgentRuntime rt =
        runtime(dir, wf)
            .checkpointStore(store)
            .environment(n -> n.equals("HOOK_TOKEN") ? TOKEN : null)
            .function("use", (in, ctx) -> in.get("build.headers.Authorization"))
            .build()) {
      RunResult waiting = rt.run("later", null);
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);

      RunResult done = rt.resume(waiting.runId(), Map.of("ok", true));

      // documented in docs/checkpoints.md: state rebuilt from the log holds the mask, not the
      // secret
      assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(done.output().asText()).isEqualTo("Bearer ****");
      assertThat(store.written).noneMatch(w -> w.contains(TOKEN));
    }
  }

  @Test
  void resume_recordedCallHeldSecret_replayedRecordMatchesByHashWithMaskedContent() {
    String wf =
        """
        id: effect
        nodes:
          - {id: start, role: start}
          - {id: send, kind: effectful}
          - {id: done, role: exit, output: "{{send}}"}
        edges:
          - {from: start, to: send}
          - {from: send, to: done}
        """;
    String request = "{\"api_key\":\"" + TOKEN + "\"}";
    List<String> executions = new CopyOnWriteArrayList<>();
    NodeExecutor executor =
        new NodeExecutor() {
          @Override
          public String kind() {
            return "effectful";
          }

          @Override
          public NodeOutcome execute(NodeInput input, NodeContext context) throws Exception {
            Optional<CallRecord> earlier = context.calls().replayed(0);
            if (earlier.isEmpty()) {
              executions.add("called");
              context
                  .calls()
                  .record(
                      new CallRecord(
                          context.runId(),
                          context.stepKey(),
                          0,
                          CallKind.LLM,
                          "model",
                          sha256(request),
                          Fixture.MAPPER.readTree(request),
                          TextNode.valueOf("the key is " + TOKEN),
                          BudgetUsage.ZERO,
                          context.clock().instant(),
                          Duration.ZERO));
              return new NodeOutcome.Suspended(
                  FailureReason.INDETERMINATE_EFFECT, "stopped after the call");
            }
            CallRecord c = earlier.get();
            executions.add(c.requestHash().equals(sha256(request)) ? "replayed" : "hash differs");
            return NodeOutcome.completed(c.response());
          }
        };
    AgentRuntime.Builder b = runtime(dir, wf);
    credentialInConfig("MODEL_API_KEY");
    CapturingStore store = new CapturingStore();
    try (AgentRuntime rt =
        b.checkpointStore(store)
            .nodeExecutor(executor)
            .environment(n -> n.equals("MODEL_API_KEY") ? TOKEN : null)
            .build()) {
      RunResult waiting = rt.run("effect", null);
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);

      RunResult done = rt.resume(waiting.runId(), Map.of("effect", "retry"));

      assertThat(executions).containsExactly("called", "replayed");
      assertThat(done.output().asText()).isEqualTo("the key is ****");
      assertThat(store.written).noneMatch(w -> w.contains(TOKEN));
    }
  }
}
