package dev.agentrt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/quickstart.md shows every file of the project examples/quickstart (which the build compiles
 * and tests) as it is: each block introduced by a line {@code **`path`**} equals that file, and
 * every file of the project is shown.
 */
class QuickstartGuideTest {
  static final Path GUIDE = Path.of("../docs/quickstart.md");
  static final Path PROJECT = Path.of("quickstart");
  private static final Pattern FILE_BLOCK =
      Pattern.compile("(?m)^\\*\\*`([^`]+)`\\*\\*\\n\\n```[a-z]*\\n(.*?)^```$", Pattern.DOTALL);

  @Test
  void everyFileBlockEqualsTheFileOfTheProject() throws IOException {
    Map<String, String> blocks = blocks();
    assertThat(blocks).as("file blocks in docs/quickstart.md").isNotEmpty();
    for (Map.Entry<String, String> block : blocks.entrySet()) {
      Path file = PROJECT.resolve(block.getKey());
      assertThat(file).as("docs/quickstart.md shows %s", block.getKey()).isRegularFile();
      assertThat(block.getValue())
          .as("docs/quickstart.md shows examples/quickstart/%s as it is", block.getKey())
          .isEqualTo(Files.readString(file));
    }
  }

  @Test
  void theGuideShowsEveryFileOfTheProject() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> all = Files.walk(PROJECT)) {
      all.filter(Files::isRegularFile)
          .map(p -> PROJECT.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith("target/"))
          .forEach(files::add);
    }
    assertThat(new TreeSet<>(blocks().keySet())).isEqualTo(files);
  }

  @Test
  void theProjectUsesTheAgentrtVersionOfThisBuild() throws IOException {
    String root = Files.readString(Path.of("../pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>agentrt-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(root);
    assertThat(version.find()).isTrue();
    assertThat(Files.readString(PROJECT.resolve("pom.xml")))
        .contains("<agentrt.version>" + version.group(1) + "</agentrt.version>");
  }

  private static Map<String, String> blocks() throws IOException {
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher m = FILE_BLOCK.matcher(Files.readString(GUIDE));
    while (m.find()) {
      assertThat(blocks.put(m.group(1), m.group(2))).as("%s shown twice", m.group(1)).isNull();
    }
    return blocks;
  }
}
