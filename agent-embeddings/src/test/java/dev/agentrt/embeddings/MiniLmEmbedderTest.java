package dev.agentrt.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentrt.core.memory.Embedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {
  private static Embedder embedder;

  @BeforeAll
  static void load() {
    embedder = new MiniLmEmbedder();
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
    return s;
  }

  @Test
  void embed_sameText_sameVector() {
    float[] first = embedder.embed("The cat sat on the mat.");
    float[] again = embedder.embed(List.of("something else", "The cat sat on the mat.")).get(1);

    assertThat(again).containsExactly(first);
  }

  @Test
  void embed_everyVector_hasTheDimensionAndUnitLength() {
    List<float[]> vectors =
        embedder.embed(List.of("short", "a somewhat longer sentence about databases", "x y z"));

    assertThat(vectors).hasSize(3);
    for (float[] v : vectors) {
      assertThat(v).hasSize(384);
      assertThat(dot(v, v)).isCloseTo(1.0, within(1e-5));
    }
    assertThat(embedder.dimension()).isEqualTo(384);
    assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2-q");
  }

  @Test
  void embed_paraphrase_isCloserThanAnUnrelatedSentence() {
    float[] sentence = embedder.embed("How do I reset my password?");
    float[] paraphrase = embedder.embed("What are the steps to change my login password?");
    float[] unrelated = embedder.embed("The recipe needs two eggs and a cup of flour.");

    assertThat(dot(sentence, paraphrase)).isGreaterThan(dot(sentence, unrelated) + 0.2);
  }

  @Test
  void embed_batchOnAnExecutor_equalsOneByOne() {
    List<String> texts = List.of("first text", "second text", "third text", "fourth text");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<float[]> batched = new MiniLmEmbedder(pool).embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(batched.get(i)).containsExactly(embedder.embed(texts.get(i)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void embed_emptyBatch_noVectors() {
    assertThat(embedder.embed(List.of())).isEmpty();
  }

  @Test
  void serviceLoader_findsTheEmbedder() {
    assertThat(ServiceLoader.load(Embedder.class).stream().map(p -> p.type().getName()))
        .containsExactly(MiniLmEmbedder.class.getName());
  }

  @Test
  void nativeLibraries_areExtractedUnderTarget() throws IOException {
    embedder.embed("load everything");
    Path djl = Path.of(System.getProperty("DJL_CACHE_DIR"));

    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));

    assertThat(djl).startsWith(Path.of("target").toAbsolutePath());
    try (Stream<Path> files = Files.walk(djl)) {
      assertThat(files.filter(Files::isRegularFile)).isNotEmpty();
    }
    assertThat(tmp).isEqualTo(Path.of("target").toAbsolutePath());
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(name -> name.startsWith("onnxruntime-java"));
    }
  }
}
