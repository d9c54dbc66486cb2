package dev.agentrt.llm.internal;

import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code provider: scripted}: replays the YAML conversation named by {@code script:}. */
public final class ScriptedProvider implements ModelProvider {
  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public ChatModel create(ModelSetup s) {
    List<String> problems = validate(s);
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return ScriptedChatModel.load(s.configDir(), s.spec().script());
  }

  /** The same script; a text answer is streamed in a few pieces. */
  @Override
  public StreamingChatModel createStreaming(ModelSetup s) {
    List<String> problems = validate(s);
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return ScriptedChatModel.load(s.configDir(), s.spec().script()).streaming();
  }

  @Override
  public List<String> validate(ModelSetup s) {
    List<String> problems = new ArrayList<>();
    String script = s.spec().script();
    if (script == null || script.isBlank()) {
      problems.add(
          "models."
              + s.name()
              + ".script: not set (a scripted model needs script: scripts/<name>.yml)");
    } else if (!Files.isRegularFile(s.configDir().resolve(script))) {
      problems.add(
          "models."
              + s.name()
              + ".script: file '"
              + script
              + "' does not exist (paths are relative to "
              + s.configDir()
              + ")");
    } else {
      try {
        ScriptedChatModel.load(s.configDir(), script);
      } catch (IllegalArgumentException e) {
        problems.add("models." + s.name() + ".script: " + e.getMessage());
      }
    }
    return problems;
  }

  static Path resolve(Path dir, String script) {
    return dir.resolve(script);
  }
}
