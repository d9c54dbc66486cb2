package dev.agentrt.codetools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolDescriptor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the code tools declare, and that a discovering ToolBus has them. */
class CodeToolsTest {
  @TempDir Path ws;

  @Test
  void all_declareEffectsPermissionsAndTags() {
    Map<String, String> declared = new LinkedHashMap<>();
    for (Tool t : CodeTools.all()) {
      ToolDescriptor d = t.descriptor();
      declared.put(
          d.name(),
          d.effect().id() + " " + new java.util.TreeSet<>(d.permissions()) + " " + d.tags());
    }

    assertThat(declared)
        .containsExactly(
            Map.entry("patch.apply", "non_idempotent [fs.read, fs.write] [files, code]"),
            Map.entry("java.check", "none [fs.read] [code]"),
            Map.entry("git.status", "none [fs.read] [git]"),
            Map.entry("git.diff", "none [fs.read] [git]"));
  }

  @Test
  void discovery_offersEveryCodeToolBesideTheBuiltInOnes() {
    try (Bus bus = new Bus(ws)) {
      assertThat(bus.bus.descriptors())
          .extracting(ToolDescriptor::name)
          .contains("patch.apply", "java.check", "git.status", "git.diff", "fs.write");
    }
  }

  @Test
  void schemas_refuseUnknownArguments() {
    try (Bus bus = new Bus(ws)) {
      assertThat(Bus.failure(bus.call("git.status", "verbose", true)))
          .startsWith("tool 'git.status': invalid arguments:");
    }
  }
}
