package dev.agentrt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.Capabilities.Entry;
import dev.agentrt.core.manifest.Capabilities.Kind;
import dev.agentrt.core.manifest.ManifestException;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolBus;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AgentRuntime#capabilities()}: the registry with the runtime's tools. */
class AgentRuntimeCapabilitiesTest {
  @TempDir Path dir;

  static ToolDescriptor descriptor(String name, String... tags) {
    return new ToolDescriptor(
            name,
            "the " + name + " tool",
            JsonNodeFactory.instance.objectNode().put("type", "object"),
            Set.of(),
            Effect.NONE)
        .withTags(tags);
  }

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve("workflows"));
    Files.writeString(
        dir.resolve("workflows/w.yml"),
        """
        id: w
        nodes:
          - {id: start, role: start}
          - {id: work, kind: function, function: f, requires: [files], tags: [worker]}
          - {id: done, role: exit}
        edges:
          - {from: start, to: work}
          - {from: work, to: done}
        """);
  }

  AgentRuntime.Builder builder() {
    return AgentRuntime.builder()
        .configDir(dir)
        .discovery(false)
        .function("f", (in, ctx) -> in.value());
  }

  @Test
  void capabilities_registeredToolAndNoToolBus_listsTheRegisteredTool() {
    try (AgentRuntime rt = builder().tool(new NamedTool(descriptor("fs.read", "files"))).build()) {
      Capabilities caps = rt.capabilities();

      assertThat(caps.entries())
          .containsExactly(
              new Entry(Kind.TOOL, "fs.read", null, "the fs.read tool", Set.of("files"), List.of()),
              new Entry(Kind.NODE, "work", "w", null, Set.of("worker"), List.of("files")));
      assertThat(caps.tags()).containsExactly("files", "worker");
    }
  }

  @Test
  void build_requiresATagNoToolHas_failsWithTheProblem() {
    assertThatThrownBy(() -> builder().tool(new NamedTool(descriptor("fs.read"))).build())
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "workflows/w.yml:4:56: node 'work': requires: no agent, tool or node provides tag"
                + " 'files' (tags provided: worker; or add it to the tags: of the agent or node"
                + " that provides it)");
  }

  @Test
  void capabilities_givenToolBus_listsTheBusToolsAndCountsTheirTags() {
    ToolBus bus = new DescriptorBus(List.of(descriptor("grep", "files", "search")));
    try (AgentRuntime rt =
        builder().tool(new NamedTool(descriptor("unseen", "x"))).toolBus(bus).build()) {
      assertThat(rt.capabilities().entries(Kind.TOOL))
          .extracting(Entry::id, Entry::tags)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("grep", Set.of("files", "search")));
    }
  }

  /** A tool that only has a descriptor. */
  record NamedTool(ToolDescriptor descriptor) implements Tool {
    @Override
    public ToolResult execute(ToolCall call, ToolContext context) {
      return ToolResult.failure("not called");
    }
  }

  /** A bus that knows descriptors and calls nothing. */
  record DescriptorBus(List<ToolDescriptor> descriptors) implements ToolBus {
    @Override
    public Optional<ToolDescriptor> descriptor(String name) {
      return descriptors.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public Optional<ToolResult.Failure> check(
        String tool, @Nullable String agent, @Nullable Collection<String> allowed) {
      return Optional.empty();
    }

    @Override
    public Optional<ToolResult.Failure> validate(String tool, JsonNode arguments) {
      return Optional.empty();
    }

    @Override
    public ToolResult call(Call call, @Nullable Decision decision) {
      return ToolResult.failure("not called");
    }

    @Override
    public void close() {}
  }
}
