package dev.agentrt.tools.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import org.jspecify.annotations.Nullable;

/**
 * Resolves path arguments inside a workspace, refusing everything that could leave it or that is
 * not what it looks like: NUL bytes and control characters, backslashes, text that changes under
 * Unicode NFC/NFKC normalisation, {@code ..} segments, absolute paths outside, symbolic links
 * leading outside (checked component by component against real paths), and special files (devices,
 * pipes, sockets). Writers re-check with {@link #recheck} just before they commit.
 */
public final class Sandbox {
  static final int MAX_PATH_CHARS = 4096;

  private final Path root;

  /**
   * @param root the workspace: absolute and real
   */
  public Sandbox(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** What the path will be used for. */
  public enum Access {
    /** Reading a file or a directory; links inside the workspace are followed. */
    READ,
    /** Writing a file; the last component must not be a link. */
    WRITE
  }

  /** A path was refused; the message says why and is meant for the caller. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * Resolves {@code raw} to an absolute path inside the workspace with every existing component's
   * links resolved (the path may not exist).
   */
  public Path resolve(@Nullable String raw, Access access) throws Refused {
    String shown = raw == null ? "" : show(raw);
    if (raw == null || raw.isEmpty()) {
      throw new Refused(
          "path is empty (give a path relative to the workspace, such as src/Main.java)");
    }
    if (raw.length() > MAX_PATH_CHARS) {
      throw new Refused("path is refused: it is longer than " + MAX_PATH_CHARS + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == 0) throw refused(shown, "it contains a NUL byte");
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw refused(shown, String.format("it contains the control character U+%04X", (int) c));
      }
      if (c == '\\') throw refused(shown, "it contains a backslash (separate directories with /)");
      if (Character.isSurrogate(c) && !validSurrogate(raw, i))
        throw refused(shown, "it contains an unpaired surrogate");
    }
    if (!Normalizer.isNormalized(raw, Normalizer.Form.NFC)
        || !Normalizer.isNormalized(raw, Normalizer.Form.NFKC)) {
      throw refused(
          shown,
          "it changes under Unicode normalisation (NFKC form: '"
              + show(Normalizer.normalize(raw, Normalizer.Form.NFKC))
              + "'; write the path in normalised form)");
    }
    for (String seg : raw.split("/", -1)) {
      if (seg.equals(".."))
        throw refused(shown, "'..' is not allowed (give a path inside the workspace without '..')");
    }
    Path p;
    try {
      p = root.getFileSystem().getPath(raw);
    } catch (InvalidPathException e) {
      throw refused(shown, "it is not a valid path (" + e.getReason() + ")");
    }
    Path abs = (p.isAbsolute() ? p : root.resolve(p)).normalize();
    if (!abs.startsWith(root)) {
      throw refused(shown, "it is outside the workspace (give a path relative to the workspace)");
    }
    Path real = walk(shown, abs);
    if (Files.isSymbolicLink(real)) {
      if (access == Access.WRITE)
        throw refused(shown, "it is a symbolic link (fs.write does not write through links)");
      try {
        real = real.toRealPath();
      } catch (IOException e) {
        // a dangling link inside the workspace: reading it finds no file
      }
    }
    checkType(shown, real);
    return real;
  }

  /**
   * Checks again, just before a writer commits, that {@code resolved}'s parent is still the same
   * real directory inside the workspace and that {@code resolved} is not a link: a link created
   * since {@link #resolve} is refused, never followed.
   */
  public void recheck(String raw, Path resolved) throws Refused {
    String shown = show(raw);
    Path parent = resolved.getParent();
    try {
      Path realParent = parent.toRealPath();
      if (!realParent.equals(parent) || !realParent.startsWith(root)) {
        throw refused(
            shown,
            "it leads outside the workspace through a symbolic link created while the call ran");
      }
    } catch (IOException e) {
      throw refused(
          shown, "its directory changed while the call ran (" + e.getClass().getSimpleName() + ")");
    }
    if (Files.isSymbolicLink(resolved)) {
      throw refused(shown, "it is a symbolic link (fs.write does not write through links)");
    }
  }

  /** Resolves links component by component; refuses any that leads out of the workspace. */
  private Path walk(String shown, Path abs) throws Refused {
    Path cur = root;
    Path rel = root.relativize(abs);
    int n = rel.getNameCount();
    if (rel.toString().isEmpty()) return root;
    for (int i = 0; i < n; i++) {
      Path next = cur.resolve(rel.getName(i));
      if (Files.isSymbolicLink(next)) {
        Path target;
        try {
          target = next.toRealPath();
        } catch (NoSuchFileException e) {
          target = dangling(next);
        } catch (IOException e) {
          throw refused(
              shown,
              "its link '"
                  + show(root.relativize(next).toString())
                  + "' cannot be resolved ("
                  + e.getClass().getSimpleName()
                  + ")");
        }
        if (!target.startsWith(root)) {
          throw refused(
              shown,
              "it leads outside the workspace through the symbolic link '"
                  + show(root.relativize(next).toString())
                  + "'");
        }
        if (i == n - 1) return next; // the last component: keep the link itself, callers decide
        cur = target;
      } else if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        Path rest = next;
        for (int j = i + 1; j < n; j++) rest = rest.resolve(rel.getName(j));
        return rest;
      } else {
        cur = next;
      }
    }
    return cur;
  }

  private static Path dangling(Path link) {
    try {
      Path t = Files.readSymbolicLink(link);
      return link.getParent().resolve(t).normalize();
    } catch (IOException e) {
      return link;
    }
  }

  private void checkType(String shown, Path real) throws Refused {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return; // does not exist (yet)
    }
    if (a.isSymbolicLink()) {
      try {
        a = Files.readAttributes(real, BasicFileAttributes.class);
      } catch (IOException e) {
        return;
      }
    }
    if (a.isOther()) {
      throw refused(
          shown, "it is not a regular file or directory (devices, pipes and sockets are refused)");
    }
  }

  /**
   * The number of hard links (names) of the regular file {@code real}: 1 where the file system does
   * not tell (no {@code unix} attribute view).
   */
  static int linkCount(Path real) throws IOException {
    try {
      Object n = Files.getAttribute(real, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      return n instanceof Integer i ? i : 1;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }

  /**
   * Refuses a regular file with more than one hard link unless {@code allowed}: a hard link made
   * inside the workspace to a file outside it is indistinguishable from the file, so its other
   * names may be anywhere on the same file system. {@code tool} names the setting that allows them.
   */
  public static void checkHardLinks(String raw, Path real, String tool, boolean allowed)
      throws Refused {
    if (allowed) return;
    int n;
    try {
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) return;
      n = linkCount(real);
    } catch (IOException e) {
      return; // gone: the caller reports a missing file
    }
    if (n > 1) throw refused(show(raw), hardLinkReason(n, tool));
  }

  /** Why a hard-linked file is refused, with the setting that allows it. */
  static String hardLinkReason(int links, String tool) {
    return "it is a hard link (the file has "
        + links
        + " names and the others may be outside the workspace; "
        + "set policy.tools."
        + tool
        + ".allow_hard_links: true in config.yml if the workspace uses hard links)";
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c))
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static Refused refused(String shown, String why) {
    return new Refused("path '" + shown + "' is refused: " + why);
  }

  /**
   * The path as it can be shown in a message: control and non-ASCII characters escaped as {@code
   * \\uXXXX}.
   */
  public static String show(String raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    int limit = Math.min(raw.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (raw.length() > limit) sb.append("...");
    return sb.toString();
  }

  /**
   * The workspace-relative form of {@code p}, with {@code /} separators ({@code .} for the root).
   */
  public String relative(Path p) {
    String r = root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/");
    return r.isEmpty() ? "." : r;
  }
}
