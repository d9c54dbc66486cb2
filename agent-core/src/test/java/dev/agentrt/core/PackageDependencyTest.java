package dev.agentrt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the main sources, checked by reading their text (imports and fully-qualified
 * names): the public packages of agent-core do not reach into its implementation, events do not
 * depend on the SPI, and no module uses another module's {@code internal} packages.
 */
class PackageDependencyTest {
  private static final Pattern AGENTRT_REF =
      Pattern.compile("\\bdev\\.agentrt\\.([a-z]+)((?:\\.[a-z]+)*)\\.[A-Z]");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);
  private static final Path CORE = Path.of("src/main/java/dev/agentrt/core");

  /**
   * The one file of a public package allowed to reach internal: the facade over the manifest
   * reader.
   */
  private static final Path MANIFEST_LOADER = CORE.resolve("manifest/ManifestLoader.java");

  @Test
  void spiEventAndManifest_importNothingFromInternal() {
    List<String> found = new ArrayList<>();
    for (String pkg : List.of("spi", "event", "manifest")) {
      for (Path f : javaFiles(CORE.resolve(pkg))) {
        if (f.equals(MANIFEST_LOADER)) continue;
        refs(f).stream()
            .filter(r -> r.startsWith("dev.agentrt.core.internal"))
            .forEach(r -> found.add(f + ": " + r));
      }
    }
    assertThat(found).as("references from core's public packages to core.internal").isEmpty();
  }

  @Test
  void event_importsNothingFromSpi() {
    List<String> found = new ArrayList<>();
    for (Path f : javaFiles(CORE.resolve("event"))) {
      refs(f).stream()
          .filter(r -> r.startsWith("dev.agentrt.core.spi"))
          .forEach(r -> found.add(f + ": " + r));
    }
    assertThat(found).as("references from core.event to core.spi").isEmpty();
  }

  @Test
  void everyModule_usesNoOtherModulesInternalPackages() {
    Path root = repositoryRoot();
    List<String> found = new ArrayList<>();
    int scanned = 0;
    for (Path module : directories(root)) {
      Path sources = module.resolve("src/main/java/dev/agentrt");
      if (!Files.isDirectory(sources)) continue;
      for (Path f : javaFiles(sources)) {
        scanned++;
        String own = sources.relativize(f).getName(0).toString();
        for (String r : refs(f)) {
          String[] parts = r.split("\\.");
          boolean internal = List.of(parts).contains("internal");
          if (internal && !parts[2].equals(own)) found.add(root.relativize(f) + ": " + r);
        }
      }
    }
    assertThat(scanned).as("main source files scanned").isGreaterThan(100);
    assertThat(found).as("references to another module's internal packages").isEmpty();
  }

  @Test
  void refs_findImportsAndQualifiedNames() throws IOException {
    Path f = Files.createTempFile(Path.of("target"), "Refs", ".java");
    try {
      Files.writeString(
          f,
          "/** {@link dev.agentrt.core.spi.Tool} */\npackage x;\n"
              + "import dev.agentrt.core.internal.Json;\n"
              + "import static dev.agentrt.llm.internal.GenAi.SYSTEM;\n"
              + "class X { Object o = dev.agentrt.tools.internal.HostGuard.class; }\n");
      assertThat(refs(f))
          .containsExactly(
              "dev.agentrt.core.internal",
              "dev.agentrt.llm.internal",
              "dev.agentrt.tools.internal");
    } finally {
      Files.delete(f);
    }
  }

  /**
   * The packages of every {@code dev.agentrt} type the file's code (not its comments) names, in
   * order.
   */
  private static List<String> refs(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    Matcher m = AGENTRT_REF.matcher(COMMENT.matcher(text).replaceAll(" "));
    while (m.find()) out.add("dev.agentrt." + m.group(1) + m.group(2));
    return out;
  }

  private static List<Path> javaFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> directories(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("agent-core/pom.xml"))) p = p.getParent();
    assertThat(p).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return p;
  }
}
