package dev.agentrt.examples;

import com.sun.jna.internal.Cleaner;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A copy of agent-embeddings' test extension (ResearchAssistantTest embeds with MiniLM). Starts
 * JNA's process-wide "JNA Cleaner" daemon before agent-test-support's NoThreadLeftExtension takes
 * its snapshot of live threads. JNA (under the DJL tokenizer) starts that thread on its first
 * native object and keeps it while any is alive; the model's tokenizer is a static that lives as
 * long as the JVM, so the thread belongs to no test class. Registering one never-collected object
 * here starts it early and keeps it for the JVM's life. Registered by extension auto-detection
 * ahead of NoThreadLeftExtension (test classes come first on the class path). Adding {@code "JNA
 * Cleaner"} to ThreadAllowList's process daemons would make this class unnecessary.
 */
public final class JnaCleanerFirstExtension implements BeforeAllCallback {
  /** Used by extension auto-detection. */
  public JnaCleanerFirstExtension() {}

  private static final Object KEPT = new Object();

  static {
    Cleaner.getCleaner().register(KEPT, () -> {});
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // the static initializer did the work, once per JVM
  }
}
