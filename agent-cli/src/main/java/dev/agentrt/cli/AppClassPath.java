package dev.agentrt.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code --classpath}/{@code -cp}: the application's classes (jars and class directories), loaded
 * by a class loader whose parent is the CLI's, and made the thread's context class loader while a
 * configuration is loaded or a runtime built, so that its {@code FunctionProvider}s, {@code
 * ToolProvider}s and {@code output: {type: ...}} records are found. One per command execution
 * ({@link #enter()}), closed when it ends.
 */
final class AppClassPath {
  private static @Nullable URLClassLoader loader;

  private AppClassPath() {}

  /** What {@link #enter()} saved; restores it (closing a loader made since) when closed. */
  static final class Scope implements AutoCloseable {
    private final @Nullable URLClassLoader saved;

    private Scope(@Nullable URLClassLoader saved) {
      this.saved = saved;
    }

    @Override
    public void close() {
      URLClassLoader current = loader;
      loader = saved;
      if (current != null && current != saved) {
        try {
          current.close();
        } catch (IOException e) {
          // the jars stay open until the process ends: nothing to report to the user
        }
      }
    }
  }

  /** Starts a command execution: a {@code --classpath} given in it lasts until the scope closes. */
  static Scope enter() {
    return new Scope(loader);
  }

  /**
   * Sets the path list ({@link File#pathSeparator}-separated; an entry {@code dir/*} means every
   * jar in {@code dir}, as for {@code java -cp}).
   *
   * @throws IllegalArgumentException naming an entry that does not exist
   */
  static void set(String pathList) {
    List<URL> urls = new ArrayList<>();
    for (String entry : pathList.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
      if (entry.isBlank()) continue;
      if (entry.endsWith("*")
          && (entry.length() == 1 || isSeparator(entry.charAt(entry.length() - 2)))) {
        String prefix = entry.substring(0, entry.length() - 1);
        Path dir = Path.of(prefix.isEmpty() ? "." : prefix);
        if (!Files.isDirectory(dir))
          throw new IllegalArgumentException(
              "--classpath: no directory '" + dir + "' (for the entry '" + entry + "')");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
          List<Path> sorted = new ArrayList<>();
          jars.forEach(sorted::add);
          sorted.sort(null);
          for (Path jar : sorted) urls.add(url(jar));
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "--classpath: cannot list '" + dir + "': " + e.getMessage(), e);
        }
        continue;
      }
      Path p = Path.of(entry);
      if (!Files.exists(p))
        throw new IllegalArgumentException(
            "--classpath: no file or directory '"
                + entry
                + "' (give jars and class directories separated by '"
                + File.pathSeparator
                + "')");
      urls.add(url(p));
    }
    // the loader this replaces stays open: it may be an enclosing execution's (Scope restores it)
    loader = new URLClassLoader(urls.toArray(URL[]::new), AppClassPath.class.getClassLoader());
  }

  private static boolean isSeparator(char c) {
    return c == '/' || c == File.separatorChar;
  }

  private static URL url(Path p) {
    try {
      return p.toAbsolutePath().normalize().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("--classpath: '" + p + "' is not a valid path", e);
    }
  }

  /** Whether {@code --classpath} was given. */
  static boolean given() {
    return loader != null;
  }

  /**
   * {@code action}'s result, computed with the application's loader as the thread's context class
   * loader (when {@code --classpath} was given).
   */
  static <T> T withContextLoader(Supplier<T> action) {
    ClassLoader app = loader;
    if (app == null) return action.get();
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    t.setContextClassLoader(app);
    try {
      return action.get();
    } finally {
      t.setContextClassLoader(saved);
    }
  }
}
