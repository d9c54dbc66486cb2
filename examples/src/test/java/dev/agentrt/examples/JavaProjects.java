package dev.agentrt.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.testkit.AgentTestRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Runtimes whose workspace is a temporary copy of a small Java project, whose {@code tests.run}
 * runs the project's own {@code java RunTests.java} (compiles and runs its tests with the JDK, no
 * build tool, no network) on the JVM running the tests.
 */
final class JavaProjects {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private JavaProjects() {}

  /**
   * The test harness of the fixture projects (the runner and the tests' assertions), kept once in
   * the feature-add project, which the repository's eval and the inspector's tests use whole.
   */
  static final Path HARNESS_PROJECT = Path.of("src/test/resources/feature-add-project");

  static final String[] HARNESS = {
    "RunTests.java", "src/test/java/demo/Assertions.java", "src/test/java/demo/Test.java"
  };

  /**
   * A testkit runtime on {@code config} with a copy of {@code project} as its workspace, plus the
   * {@link #HARNESS} when {@code harness} (a project that has only its code and tests).
   */
  static AgentRuntime runtime(Path config, Path tmp, Path project, boolean harness) {
    AgentRuntime rt =
        AgentTestRuntime.builder(config, tmp)
            .workspace(project)
            .editConfig(
                c ->
                    ((ObjectNode) c.path("policy").path("tools").path("tests.run"))
                        .putArray("command")
                        .add(JAVA)
                        // a short-lived JVM: C1 only and one GC thread take half the CPU
                        .add("-XX:TieredStopAtLevel=1")
                        .add("-XX:+UseSerialGC")
                        .add("RunTests.java"))
            .build();
    try {
      if (harness) {
        for (String file : HARNESS) {
          Path target = workspace(rt).resolve(file);
          Files.createDirectories(target.getParent());
          Files.copy(HARNESS_PROJECT.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      rt.close();
      throw new UncheckedIOException(e);
    }
    return rt;
  }

  /** The runtime's workspace: the copy of the project. */
  static Path workspace(AgentRuntime rt) {
    return Path.of(rt.manifests().config().policy().workspace());
  }

  /** Copies the tree {@code from} into {@code to} (created as needed); returns {@code to}. */
  static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }
}
