package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.CheckpointStore;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.memory.SqliteCheckpointStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tried as an attacker or a careless user would: a model that echoes its API key, a tool header
 * built from {@code ${env:...}}. Nothing of either reaches the SQLite file, in any table.
 */
class SecretsAtRestTest {
  static final String KEY = "sk-planted-AT-REST-5e8b21";
  static final String HOOK_TOKEN = "hooktok-PLANTED-77d0a3";

  @TempDir Path dir;
  StubOpenAi stub;
  SqliteCheckpointStore sqlite;
  Path config;
  final List<JsonNode> hookArguments = new CopyOnWriteArrayList<>();

  /**
   * Tool {@code hook}: an idempotent call (so its intent is journaled) that answers with its
   * arguments.
   */
  final Tool hook =
      new Tool() {
        @Override
        public ToolDescriptor descriptor() {
          return new ToolDescriptor(
              "hook",
              "Calls a web hook.",
              StubOpenAi.JSON.createObjectNode().put("type", "object"),
              Set.of(),
              Effect.IDEMPOTENT);
        }

        @Override
        public ToolResult execute(ToolCall call, ToolContext context) {
          hookArguments.add(call.arguments());
          return ToolResult.success(call.arguments());
        }
      };

  @BeforeEach
  void setUp() throws IOException {
    stub = new StubOpenAi();
    sqlite = SqliteCheckpointStore.open(dir.resolve("runs.db"));
    config = dir.resolve(".agent");
    Files.createDirectories(config.resolve("workflows"));
    Files.createDirectories(config.resolve("agents"));
    Files.createDirectories(config.resolve("prompts"));
    Files.writeString(
        config.resolve("config.yml"),
        "models:\n"
            + "  default:\n"
            + "    provider: openai\n"
            + "    model: gpt-test\n"
            + "    api_key: ${env:TEST_OPENAI_KEY}\n"
            + "    base_url: "
            + stub.baseUrl()
            + "\n"
            + "    max_retries: 0\n");
    Files.writeString(config.resolve("prompts/helper.md"), "You help with {{input.topic}}.");
    Files.writeString(
        config.resolve("agents/helper.yml"),
        "name: helper\nmodel: default\nsystem: prompts/helper.md\n" + "tools: [echo]\n");
    Files.writeString(
        config.resolve("workflows/ask.yml"),
        "id: ask\n"
            + "nodes:\n"
            + "  - {id: start, role: start}\n"
            + "  - {id: ask, kind: agent, agent: helper}\n"
            + "  - {id: notify, kind: tool, tool: hook,"
            + " args: {headers: {Authorization: \"Bearer ${env:HOOK_TOKEN}\"}, text: \"{{ask}}\"}}\n"
            + "  - {id: done, role: exit}\n"
            + "edges:\n"
            + "  - {from: start, to: ask}\n"
            + "  - {from: ask, to: notify}\n"
            + "  - {from: notify, to: done}\n");
    // the model echoes the key it was configured with, in a tool call and in its answer
    stub.toolCalls(10, 5, new String[] {"c1", "echo", "{\"text\":\"my key is " + KEY + "\"}"});
    stub.answer("Done. By the way, your key is " + KEY, 20, 8);
  }

  @AfterEach
  void tearDown() {
    stub.close();
    sqlite.close();
  }

  private AgentRuntime runtime(CheckpointStore store) {
    return AgentRuntime.builder()
        .configDir(config)
        .tool(new EchoTool())
        .tool(hook)
        .checkpointStore(store)
        .environment(
            n ->
                switch (n) {
                  case "TEST_OPENAI_KEY" -> KEY;
                  case "HOOK_TOKEN" -> HOOK_TOKEN;
                  default -> null;
                })
        .build();
  }

  @Test
  void run_modelEchoesKeyAndToolHeaderFromEnv_noTableOfTheFileHoldsEither() throws Exception {
    RunResult r;
    try (AgentRuntime rt = runtime(unclosed(sqlite, Integer.MAX_VALUE))) {
      r = rt.run("ask", Map.of("topic", "maths"));
    }

    assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
    // the live run used the real values
    assertThat(stub.authorizations).containsOnly("Bearer " + KEY);
    assertThat(hookArguments)
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.path("headers").path("Authorization").asText())
                    .isEqualTo("Bearer " + HOOK_TOKEN));
    // what was stored is masked, and still useful
    List<CallRecord> calls = sqlite.calls(r.runId());
    assertThat(calls)
        .filteredOn(c -> c.kind() == CallKind.INTENT)
        .singleElement()
        .satisfies(
            c -> assertThat(c.request().toString()).contains("\"Authorization\":\"Bearer ****\""));
    assertThat(calls)
        .filteredOn(c -> c.kind() == CallKind.LLM)
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.response().toString()).contains("****"));
    sqlite.close();
    assertThat(cellsHolding(dir.resolve("runs.db"), KEY, HOOK_TOKEN)).isEmpty();
    assertThat(filesHolding(dir, KEY, HOOK_TOKEN)).isEmpty();
  }

  @Test
  void resume_afterCrashInAgentStep_recordedCallMatchesAndIsNotPaidTwice() throws Exception {
    String runId;
    try (AgentRuntime rt = runtime(unclosed(sqlite, 1))) {
      RunResult crashed = rt.run("ask", Map.of("topic", "maths"));
      runId = crashed.runId();
    }
    assertThat(stub.requestCount()).isEqualTo(1);
    assertThat(sqlite.find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

    RunResult done;
    try (AgentRuntime rt = runtime(unclosed(sqlite, Integer.MAX_VALUE))) {
      done = rt.resume(runId, null);
    }

    assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
    // the first call was replayed from its (masked) record: only the second one was made again
    assertThat(stub.requestCount()).isEqualTo(2);
    sqlite.close();
    assertThat(cellsHolding(dir.resolve("runs.db"), KEY, HOOK_TOKEN)).isEmpty();
    assertThat(filesHolding(dir, KEY, HOOK_TOKEN)).isEmpty();
  }

  /**
   * Every cell of every table (found through sqlite_master) whose text or bytes hold one of {@code
   * planted}.
   */
  static List<String> cellsHolding(Path db, String... planted) throws SQLException {
    List<String> found = new ArrayList<>();
    int cells = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      assertThat(tables).contains("runs", "steps", "calls");
      for (String table : tables) {
        try (Statement q = c.createStatement();
            ResultSet rs =
                q.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= n; i++) {
              Object v = rs.getObject(i);
              if (v == null) continue;
              cells++;
              String text =
                  v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
              for (String p : planted) {
                if (text.contains(p))
                  found.add(table + "." + rs.getMetaData().getColumnName(i) + ": " + text);
              }
            }
          }
        }
      }
    }
    assertThat(cells).as("cells scanned").isGreaterThan(20);
    return found;
  }

  /**
   * The files under {@code dir} (the database, its WAL, anything else) whose bytes hold one of
   * {@code planted}.
   */
  static List<String> filesHolding(Path dir, String... planted) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f :
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.startsWith(dir.resolve(".agent")))
              .toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String p : planted) {
          if (bytes.contains(p)) found.add(f.getFileName() + " holds " + p);
        }
      }
    }
    return found;
  }

  /**
   * The SQLite store behind a runtime that must not close it (the test reads the file after), and
   * that simulates a killed process after {@code callsBeforeCrash} call records.
   */
  static RecordingStore unclosed(CheckpointStore sqlite, int callsBeforeCrash) {
    RecordingStore s = new RecordingStore(sqlite);
    s.crashAfterCalls = callsBeforeCrash;
    return s;
  }
}
