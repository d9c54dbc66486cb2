package dev.agentrt.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies directory trees. */
public final class Trees {
  private Trees() {}

  /**
   * Copies {@code from} to {@code to} (created), skipping {@code var/} and {@code target/} at the
   * top, which hold runtime data and build output rather than configuration or sources.
   */
  public static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(p);
        if (rel.getNameCount() > 0
            && (rel.getName(0).toString().equals("var")
                || rel.getName(0).toString().equals("target"))) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return to;
  }
}
