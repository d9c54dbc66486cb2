package dev.agentrt.codetools;

import static dev.agentrt.codetools.Bus.failure;
import static dev.agentrt.codetools.Bus.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentrt.core.spi.Effect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** java.check through the ToolBus, on Java files of a temporary workspace. */
class JavaCheckTest {
  @TempDir Path ws;
  Bus bus;

  static final String SOURCE =
      "package demo;\n"
          + "\n"
          + "class Demo {\n"
          + "  int parse(String s) {\n"
          + "    int count = 42;\n"
          + "    try {\n"
          + "      return Integer.parseInt(s);\n"
          + "    } catch (NumberFormatException e) {\n"
          + "    }\n"
          + "    return 0;\n"
          + "  }\n"
          + "}\n";

  @BeforeEach
  void setUp() throws IOException {
    bus = new Bus(ws);
    Files.createDirectories(ws.resolve("src/demo"));
    Files.writeString(ws.resolve("src/demo/Demo.java"), SOURCE);
  }

  @AfterEach
  void tearDown() {
    bus.close();
  }

  @Test
  void check_defaultRules_findTheUnusedLocalAndTheEmptyCatch() {
    assertThat(bus.bus.descriptor("java.check"))
        .hasValueSatisfying(d -> assertThat(d.effect()).isEqualTo(Effect.NONE));

    JsonNode r = value(bus.call("java.check", "paths", List.of("src/demo/Demo.java")));

    assertThat(r.path("files_analysed").asInt()).isEqualTo(1);
    JsonNode findings = r.path("findings");
    assertThat(findings.findValuesAsText("rule"))
        .containsExactly("UnusedLocalVariable", "EmptyCatchBlock");
    JsonNode unused = findings.get(0);
    assertThat(unused.path("severity").asText()).isEqualTo("warning");
    assertThat(unused.path("file").asText()).isEqualTo("src/demo/Demo.java");
    assertThat(unused.path("line").asInt()).isEqualTo(5);
    assertThat(unused.path("message").asText())
        .isEqualTo("Avoid unused local variables such as 'count'.");
    assertThat(unused.path("suggestion").asText())
        .startsWith("Detects when a local variable is declared and/or assigned, but not used.")
        .contains("https://docs.pmd-code.org/");
    assertThat(findings.get(1).path("line").asInt()).isEqualTo(8);
  }

  @Test
  void check_chosenRule_runsOnlyThatRuleOnTheDirectory() {
    JsonNode r =
        value(
            bus.call(
                "java.check",
                "paths",
                List.of("src"),
                "rules",
                List.of("errorprone/EmptyCatchBlock")));

    assertThat(r.path("findings").findValuesAsText("rule")).containsExactly("EmptyCatchBlock");
  }

  @Test
  void check_unknownRule_failsWithDidYouMean() {
    assertThat(
            failure(
                bus.call(
                    "java.check",
                    "paths",
                    List.of("src"),
                    "rules",
                    List.of("errorprone/EmptyCatchBlok"))))
        .isEqualTo(
            "rule 'errorprone/EmptyCatchBlok': category errorprone has no rule 'EmptyCatchBlok' (did you mean 'EmptyCatchBlock'?)");
  }

  @Test
  void check_pathOutsideWorkspace_isRefused() {
    assertThat(failure(bus.call("java.check", "paths", List.of("../Other.java"))))
        .isEqualTo(
            "path '../Other.java' is refused: '..' is not allowed (give a path inside the workspace without '..')");
  }
}
