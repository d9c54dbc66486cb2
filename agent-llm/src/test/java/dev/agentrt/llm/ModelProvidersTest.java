package dev.agentrt.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentrt.llm.internal.ModelProviders;
import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.langchain4j.model.chat.ChatModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelProvidersTest {
  static final class Fake implements ModelProvider {
    @Override
    public String name() {
      return "openai";
    }

    @Override
    public ChatModel create(ModelSetup setup) {
      throw new UnsupportedOperationException();
    }
  }

  static final class Other implements ModelProvider {
    @Override
    public String name() {
      return "openai";
    }

    @Override
    public ChatModel create(ModelSetup setup) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void discover_builtIns_findsFourProviders() {
    assertThat(ModelProviders.discover(List.of()).keySet())
        .containsExactlyInAnyOrder("openai", "anthropic", "ollama", "scripted");
  }

  @Test
  void discover_explicitProvider_winsOverDiscovered() {
    assertThat(ModelProviders.discover(List.of(new Fake())).get("openai")).isInstanceOf(Fake.class);
  }

  @Test
  void of_twoProvidersWithOneName_failsNamingBothClasses() {
    assertThatThrownBy(() -> ModelProviders.of(Map.of(), List.of(new Fake(), new Other())))
        .hasMessage(
            "two ModelProviders registered for provider 'openai': dev.agentrt.llm.ModelProvidersTest$Fake, "
                + "dev.agentrt.llm.ModelProvidersTest$Other (register one)");
  }
}
