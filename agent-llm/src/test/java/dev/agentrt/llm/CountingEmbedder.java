package dev.agentrt.llm;

import dev.agentrt.core.memory.Embedder;
import dev.agentrt.embeddings.MiniLmEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-process model, loaded once per test JVM, counting the texts it embeds. */
final class CountingEmbedder implements Embedder {
  private static final Embedder MODEL = new MiniLmEmbedder();

  final AtomicInteger texts = new AtomicInteger();

  @Override
  public String model() {
    return MODEL.model();
  }

  @Override
  public int dimension() {
    return MODEL.dimension();
  }

  @Override
  public List<float[]> embed(List<String> batch) {
    texts.addAndGet(batch.size());
    return MODEL.embed(batch);
  }
}
