package dev.agentrt.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the built-in tools declare about themselves. */
class BuiltinToolsTest {

  @Test
  void all_declareCapabilityTags_thatRequiresCanName() {
    Map<String, List<String>> tags = new LinkedHashMap<>();
    for (Tool t : BuiltinTools.all()) {
      ToolDescriptor d = t.descriptor();
      tags.put(d.name(), d.tags());
    }

    assertThat(tags)
        .containsExactly(
            Map.entry("fs.read", List.of("files")),
            Map.entry("fs.write", List.of("files")),
            Map.entry("fs.list", List.of("files")),
            Map.entry("grep", List.of("files", "search")),
            Map.entry("http", List.of("web")),
            Map.entry("json.query", List.of("data")),
            Map.entry("yaml.parse", List.of("data")),
            Map.entry("yaml.dump", List.of("data")),
            Map.entry("tests.run", List.of("tests")));
  }
}
