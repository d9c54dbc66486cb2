package dev.agentrt.store.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.RunListener;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/**
 * A worker process of {@link MultiWorkerIT}: {@code LedgerWorkerMain URL CONFIG_DIR OWNER} executes
 * queued runs of the PostgreSQL store at {@code URL} with 4 at once, under lease owner {@code
 * OWNER} (lease ttl 1 s), and prints {@code ready}, then {@code done <run id>} as each run
 * completes. Its {@code ledger.charge} tool (idempotent) appends {@code (idempotency key, run,
 * owner)} to the table {@code ledger}: the effect whose duplicates the test counts. Runs until
 * killed.
 */
public final class LedgerWorkerMain {
  private LedgerWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path config = Path.of(args[1]);
    String owner = args[2];
    PrintStream out = System.out;
    AgentRuntime rt = runtime(url, config, owner, out);
    rt.worker(4, Duration.ofMillis(20));
    out.println("ready");
    out.flush();
    Thread.currentThread().join(); // until killed
  }

  /** A runtime on the store at {@code url} with the ledger tool; completions go to {@code out}. */
  static AgentRuntime runtime(String url, Path config, String owner, PrintStream out) {
    PostgresCheckpointStore store =
        PostgresCheckpointStore.open(
            PostgresStoreOptions.builder(url)
                .user("postgres")
                .ownerId(owner)
                .leaseTtl(Duration.ofSeconds(1))
                .poolSize(6)
                .build());
    AgentRuntime.Builder b =
        AgentRuntime.builder()
            .configDir(config)
            .checkpointStore(store)
            .tool(new LedgerTool(url, owner));
    if (out != null) {
      b.listener(
          new RunListener() {
            @Override
            public void runCompleted(RunEvent.RunCompleted e) {
              synchronized (out) {
                out.println("done " + e.runId());
                out.flush();
              }
            }
          });
    }
    return b.build();
  }

  /** Appends one row to {@code ledger} per call: the effect. */
  static final class LedgerTool implements Tool {
    private final String url;
    private final String owner;

    LedgerTool(String url, String owner) {
      this.url = url;
      this.owner = owner;
    }

    @Override
    public ToolDescriptor descriptor() {
      return new ToolDescriptor(
          "ledger.charge",
          "Appends a charge to the ledger.",
          JsonNodeFactory.instance.objectNode().put("type", "object"),
          Set.of(),
          Effect.IDEMPOTENT);
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext context) throws SQLException {
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          PreparedStatement p =
              c.prepareStatement("INSERT INTO ledger (idem_key, run_id, owner) VALUES (?, ?, ?)")) {
        p.setString(1, call.idempotencyKey());
        p.setString(2, call.idempotencyKey().substring(0, call.idempotencyKey().indexOf(':')));
        p.setString(3, owner);
        p.executeUpdate();
      }
      return ToolResult.success(JsonNodeFactory.instance.textNode("charged"));
    }
  }
}
