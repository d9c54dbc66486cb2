package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.ManifestProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Locates the problems of a manifest built in code at the builder calls that made its parts: a
 * problem at a line of the rendered YAML is reported at the call whose part starts nearest above
 * it, so {@code Flows.java:31: workflow 'triage', edge("classify", "pgae"): edge ...} names the
 * call to fix instead of a line of text the user never wrote.
 */
public final class SourceMap {
  private final String subject;
  private final CallSite whole;
  private final Map<String, CallSite> parts;
  private @Nullable List<Located> byLine;

  /**
   * @param subject what the manifest is, written before the call ({@code workflow 'triage'})
   * @param whole the call that made the whole manifest, for a problem of no part
   * @param parts the call that made each part, by the JSON pointer of the part ({@code /nodes/2})
   */
  public SourceMap(String subject, CallSite whole, Map<String, CallSite> parts) {
    this.subject = subject;
    this.whole = whole;
    this.parts = Map.copyOf(parts);
  }

  /** Where the whole manifest was built: {@code Flows.java:12}. */
  public String origin() {
    return whole.line() > 0 ? whole.file() + ":" + whole.line() : whole.file();
  }

  ManifestProblem problem(LocatedTree tree, int line, String message) {
    CallSite site = whole;
    if (line > 0) {
      for (Located l : located(tree)) {
        if (l.line <= line && l.line >= 1) site = l.site;
      }
    }
    return new ManifestProblem(
        site.file(), site.line(), 0, subject + ", " + site.call() + ": " + message);
  }

  private synchronized List<Located> located(LocatedTree tree) {
    if (byLine == null) {
      List<Located> out = new ArrayList<>();
      parts.forEach((pointer, site) -> out.add(new Located(tree.locate(pointer)[0], site)));
      out.sort((a, b) -> Integer.compare(a.line, b.line));
      byLine = out;
    }
    return byLine;
  }

  private record Located(int line, CallSite site) {}

  /**
   * Where a builder method was called, and the call as the user wrote it.
   *
   * @param file the caller's source file ({@code Flows.java}), or its class when unknown
   * @param line the caller's line, 0 when unknown
   * @param call the call, written as code ({@code edge("classify", "page")})
   */
  public record CallSite(String file, int line, String call) {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final java.util.Set<String> BUILDERS =
        java.util.Set.of(
            "dev.agentrt.core.Workflow", "dev.agentrt.core.Agent", SourceMap.class.getName());

    /** The call site of the first frame outside agentrt's builder classes. */
    public static CallSite here(String call) {
      return WALKER.walk(
          frames ->
              frames
                  .filter(f -> !BUILDERS.contains(outer(f.getClassName())))
                  .findFirst()
                  .map(
                      f ->
                          new CallSite(
                              f.getFileName() != null ? f.getFileName() : f.getClassName(),
                              Math.max(0, f.getLineNumber()),
                              call))
                  .orElse(new CallSite("(unknown)", 0, call)));
    }

    private static String outer(String className) {
      int dollar = className.indexOf('$');
      return dollar < 0 ? className : className.substring(0, dollar);
    }
  }
}
