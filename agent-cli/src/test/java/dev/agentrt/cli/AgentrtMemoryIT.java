package dev.agentrt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentrt memory put|search|prune}, each command a new process of the shaded jar; mistakes
 * in the arguments run in this JVM.
 */
class AgentrtMemoryIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    config = dir.resolve("shop/.agent");
    Files.createDirectories(config.resolve("workflows"));
    Files.writeString(
        config.resolve("config.yml"),
        "checkpoint: {store: sqlite, path: '"
            + dir.resolve("runs.db")
            + "'}\nmemory:\n  project: {retention: {max_items: 2}}\n");
  }

  /** {@code agentrt memory args...} in a child JVM running the jar. */
  private Agentrt.Result memoryProcess(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "memory";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--config";
    all[args.length + 2] = config.toString();
    return Agentrt.runIn(dir, all);
  }

  /**
   * {@code agentrt memory args...} in this JVM ({@link Agentrt#execute}): a child JVM costs seconds
   * (the embedding model loads in each), so only one search goes through the jar.
   */
  private Agentrt.Result memory(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "memory";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--config";
    all[args.length + 2] = config.toString();
    return Agentrt.execute(all);
  }

  @Test
  void put_thenSearch_findsTheItemWithItsScoresAndRanks() throws IOException {
    Agentrt.Result created =
        memory(
            "put",
            "--key",
            "db",
            "--text",
            "the orders service stores orders in PostgreSQL 15",
            "--meta",
            "{\"team\":\"shop\"}",
            "--tags",
            "infra,db");
    assertThat(created.stderr()).isEmpty();
    assertThat(created.stdout()).isEqualTo("created project/db" + System.lineSeparator());
    Agentrt.Result updated =
        memory("put", "--key", "db", "--text", "the orders service stores orders in PostgreSQL 16");
    assertThat(updated.stdout()).startsWith("updated project/db");
    memory("put", "--key", "cache", "--text", "sessions are cached in Redis", "--tags", "infra");

    Agentrt.Result found =
        memory("search", "which database stores orders", "--mode", "sparse", "--json");

    assertThat(found.exitCode()).as(found.stderr()).isZero();
    JsonNode hits = MAPPER.readTree(found.stdout()).get("hits");
    assertThat(hits.get(0).get("key").asText()).isEqualTo("db");
    assertThat(hits.get(0).get("scope").asText()).isEqualTo("project");
    assertThat(hits.get(0).get("text").asText()).endsWith("PostgreSQL 16");
    assertThat(hits.get(0).get("sparse_rank").asInt()).isEqualTo(1);
    assertThat(hits.get(0).get("sparse_score").asDouble()).isPositive();
    assertThat(hits.get(0).get("dense_rank").isNull()).isTrue();
    assertThat(hits.get(0).get("metadata")).isEmpty(); // the update replaced the metadata

    // the jar bundles agent-embeddings: the default search is hybrid, with dense ranks
    Agentrt.Result hybrid = memoryProcess("search", "Which database holds the orders?", "--json");
    assertThat(hybrid.exitCode()).as(hybrid.stderr()).isZero();
    JsonNode best = MAPPER.readTree(hybrid.stdout()).get("hits").get(0);
    assertThat(best.get("key").asText()).isEqualTo("db");
    assertThat(best.get("dense_rank").asInt()).isEqualTo(1);
    assertThat(best.get("dense_score").asDouble()).isPositive();
    assertThat(best.get("fused_score").asDouble()).isPositive();

    Agentrt.Result tagged =
        memory("search", "orders sessions", "--mode", "sparse", "--filter", "tag=infra", "--json");
    assertThat(MAPPER.readTree(tagged.stdout()).get("hits"))
        .extracting(h -> h.get("key").asText())
        .containsExactly("cache");
  }

  @Test
  void prune_appliesRetention_andSaysHowManyWentAway() {
    memory("put", "--key", "a", "--text", "one");
    memory("put", "--key", "b", "--text", "two");
    // max_items: 2 is applied on write: the oldest went with the third
    memory("put", "--key", "c", "--text", "three");

    Agentrt.Result pruned = memory("prune");
    assertThat(pruned.stdout()).isEqualTo("pruned 0 items" + System.lineSeparator());
    // every item was embedded by the bundled model when it was put: nothing is stale
    Agentrt.Result reembedded = memory("reembed");
    assertThat(reembedded.stdout()).isEqualTo("re-embedded 0 items" + System.lineSeparator());
    Agentrt.Result all = memory("search", "one two three", "--mode", "sparse", "--json");
    assertThat(all.stdout()).doesNotContain("\"key\":\"a\"").contains("\"key\":\"c\"");
  }

  @Test
  void mistakes_areSaidInOneLine_withoutAStackTrace() {
    Agentrt.Result badMeta = memory("put", "--key", "k", "--text", "t", "--meta", "[1]");
    assertThat(badMeta.exitCode()).isNotZero();
    assertThat(badMeta.stderr()).contains("--meta must be a JSON object, got ARRAY");

    Agentrt.Result task = memory("put", "--scope", "task", "--key", "k", "--text", "t");
    assertThat(task.stderr()).contains("--scope task needs --run RUN_ID");

    Agentrt.Result filter = memory("search", "x", "--filter", "lang");
    assertThat(filter.stderr()).contains("--filter 'lang': write FIELD=VALUE (or tag=T)");

    Agentrt.Result mode = memory("search", "x", "--mode", "fuzzy");
    assertThat(mode.exitCode()).isEqualTo(2);
    assertThat(mode.stderr()).contains("fuzzy").doesNotContain("\tat ");
  }
}
