package dev.agentrt.codetools.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A unified diff ({@code diff --git} or plain {@code --- / +++} headers, {@code /dev/null} for
 * creation and deletion, git renames), parsed and applied to text with exact context (fuzz 0): each
 * hunk's old lines must be found verbatim, at the line its header names or, as {@code git apply}
 * does, shifted by some lines.
 */
final class UnifiedDiff {
  private UnifiedDiff() {}

  /** The patch text is not a usable unified diff; the message says where and why. */
  static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  /** A hunk does not apply; the message names the file, the hunk and the first differing line. */
  static final class HunkException extends Exception {
    private static final long serialVersionUID = 1L;

    HunkException(String message) {
      super(message);
    }
  }

  /** One line of a hunk: {@code ' '} context, {@code '-'} removed, {@code '+'} added. */
  record Line(char op, String text) {}

  /**
   * One hunk.
   *
   * @param header its {@code @@ -a,b +c,d @@} line without trailing text
   * @param oldNoEol the old image's last line has no newline ({@code \ No newline at end of file})
   * @param newNoEol the new image's last line has no newline
   */
  record Hunk(
      int number,
      String header,
      int oldStart,
      int oldCount,
      List<Line> lines,
      boolean oldNoEol,
      boolean newNoEol) {
    List<String> oldLines() {
      List<String> r = new ArrayList<>();
      for (Line l : lines) if (l.op() != '+') r.add(l.text());
      return r;
    }

    List<String> newLines() {
      List<String> r = new ArrayList<>();
      for (Line l : lines) if (l.op() != '-') r.add(l.text());
      return r;
    }
  }

  /**
   * One file's change.
   *
   * @param oldPath the path before, or null for a file the patch creates
   * @param newPath the path after, or null for a file the patch deletes
   */
  record FilePatch(@Nullable String oldPath, @Nullable String newPath, List<Hunk> hunks) {
    /** The path to name in messages. */
    String name() {
      return newPath != null ? newPath : oldPath == null ? "?" : oldPath;
    }
  }

  /** The text of a file as lines (without their ends) and whether the last line ends in one. */
  record Text(List<String> lines, boolean finalNewline) {
    static Text of(String s) {
      List<String> lines = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == '\n') {
          lines.add(s.substring(start, i));
          start = i + 1;
        }
      }
      boolean nl = true;
      if (start < s.length()) {
        lines.add(s.substring(start));
        nl = false;
      }
      return new Text(lines, nl);
    }

    String render() {
      if (lines.isEmpty()) return "";
      String s = String.join("\n", lines);
      return finalNewline ? s + "\n" : s;
    }
  }

  private static final Pattern HUNK =
      Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

  /** Parses {@code patch}. */
  static List<FilePatch> parse(String patch) throws FormatException {
    String[] rows = patch.split("\n", -1);
    List<FilePatch> files = new ArrayList<>();
    String gitOld = null;
    String gitNew = null;
    boolean git = false;
    String oldPath = null;
    String newPath = null;
    boolean headed = false;
    List<Hunk> hunks = new ArrayList<>();
    int i = 0;
    while (i < rows.length) {
      String r = rows[i];
      if (r.startsWith("diff --git ")) {
        if (git || headed) files.add(file(git, gitOld, gitNew, headed, oldPath, newPath, hunks));
        String[] ab = gitPaths(r.substring("diff --git ".length()));
        gitOld = ab[0];
        gitNew = ab[1];
        git = true;
        headed = false;
        oldPath = null;
        newPath = null;
        hunks = new ArrayList<>();
        i++;
      } else if (r.startsWith("new file mode ") && git && !headed) {
        gitOld = null;
        i++;
      } else if (r.startsWith("deleted file mode ") && git && !headed) {
        gitNew = null;
        i++;
      } else if (r.startsWith("rename from ") && git) {
        gitOld = r.substring("rename from ".length());
        i++;
      } else if (r.startsWith("rename to ") && git) {
        gitNew = r.substring("rename to ".length());
        i++;
      } else if (r.startsWith("Binary files ") || r.startsWith("GIT binary patch")) {
        throw new FormatException(
            "the patch has a binary change (line "
                + (i + 1)
                + ": \""
                + r.strip()
                + "\"; patch.apply applies text hunks only)");
      } else if (r.startsWith("--- ") && i + 1 < rows.length && rows[i + 1].startsWith("+++ ")) {
        if (headed) {
          files.add(file(git, gitOld, gitNew, true, oldPath, newPath, hunks));
          git = false;
          hunks = new ArrayList<>();
        }
        oldPath = name(r.substring(4), "a/");
        newPath = name(rows[i + 1].substring(4), "b/");
        headed = true;
        i += 2;
      } else if (r.startsWith("@@ ")) {
        if (!headed) {
          throw new FormatException(
              "line "
                  + (i + 1)
                  + ": hunk '"
                  + r.strip()
                  + "' has no file header before it (expected '--- a/path' and '+++ b/path' lines)");
        }
        i = hunk(rows, i, hunks, newPath != null ? newPath : String.valueOf(oldPath));
      } else {
        i++; // index, mode lines, commentary
      }
    }
    if (git || headed) files.add(file(git, gitOld, gitNew, headed, oldPath, newPath, hunks));
    if (files.isEmpty()) {
      throw new FormatException(
          "the patch contains no file change (expected a unified diff: '--- a/path', '+++ b/path', then '@@ -l,n +l,n @@' hunks)");
    }
    return files;
  }

  private static FilePatch file(
      boolean git,
      @Nullable String gitOld,
      @Nullable String gitNew,
      boolean headed,
      @Nullable String oldPath,
      @Nullable String newPath,
      List<Hunk> hunks)
      throws FormatException {
    if (!headed) {
      // a git header alone: a rename, a mode change or an empty file
      return new FilePatch(gitOld, gitNew, List.of());
    }
    if (oldPath == null && newPath == null) {
      throw new FormatException("a file header names no path (both sides are /dev/null)");
    }
    if (hunks.isEmpty() && oldPath != null && oldPath.equals(newPath) && !git) {
      throw new FormatException(
          "the change of "
              + oldPath
              + " has no hunk (expected '@@ -l,n +l,n @@' lines after its header)");
    }
    return new FilePatch(oldPath, newPath, List.copyOf(hunks));
  }

  /**
   * The two paths of a {@code diff --git a/x b/y} line (without spaces in names: split in the
   * middle).
   */
  private static String[] gitPaths(String rest) throws FormatException {
    String[] parts = rest.strip().split(" ");
    if (parts.length != 2) {
      int mid = rest.indexOf(" b/");
      if (mid < 0) throw new FormatException("cannot read the paths of 'diff --git " + rest + "'");
      parts = new String[] {rest.substring(0, mid), rest.substring(mid + 1)};
    }
    return new String[] {strip(parts[0], "a/"), strip(parts[1], "b/")};
  }

  private static @Nullable String name(String raw, String prefix) {
    String p = raw;
    int tab = p.indexOf('\t');
    if (tab >= 0) p = p.substring(0, tab); // a timestamp
    p = p.strip();
    if (p.length() > 1 && p.startsWith("\"") && p.endsWith("\""))
      p = p.substring(1, p.length() - 1);
    if (p.equals("/dev/null")) return null;
    return strip(p, prefix);
  }

  private static String strip(String p, String prefix) {
    return p.startsWith(prefix) ? p.substring(prefix.length()) : p;
  }

  /** Reads the hunk whose header is {@code rows[at]}; returns the index of the row after it. */
  private static int hunk(String[] rows, int at, List<Hunk> hunks, String file)
      throws FormatException {
    Matcher m = HUNK.matcher(rows[at]);
    if (!m.matches()) {
      throw new FormatException(
          "line "
              + (at + 1)
              + ": '"
              + rows[at].strip()
              + "' is not a hunk header (expected '@@ -l,n +l,n @@')");
    }
    String header = rows[at].substring(0, rows[at].indexOf("@@", 2) + 2);
    int oldStart = Integer.parseInt(m.group(1));
    int oldCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
    int number = hunks.size() + 1;
    List<Line> lines = new ArrayList<>();
    boolean oldNoEol = false;
    boolean newNoEol = false;
    int olds = 0;
    int news = 0;
    int i = at + 1;
    while (i < rows.length) {
      String r = rows[i];
      if (r.startsWith("\\")) {
        if (!lines.isEmpty()) {
          char last = lines.get(lines.size() - 1).op();
          if (last != '+') oldNoEol = true;
          if (last != '-') newNoEol = true;
        }
        i++;
        continue;
      }
      if (olds >= oldCount && news >= newCount) break;
      char op = r.isEmpty() ? ' ' : r.charAt(0);
      if (op != ' ' && op != '-' && op != '+') break;
      if (r.isEmpty() && i == rows.length - 1) break; // the text's final newline
      lines.add(new Line(op, r.isEmpty() ? "" : r.substring(1)));
      if (op != '+') olds++;
      if (op != '-') news++;
      i++;
    }
    if (olds != oldCount || news != newCount) {
      throw new FormatException(
          "hunk "
              + number
              + " of "
              + file
              + " ("
              + header
              + ") does not match its header: the header counts "
              + oldCount
              + " old and "
              + newCount
              + " new lines, the hunk has "
              + olds
              + " and "
              + news
              + " (fix the counts, or make the patch again with git diff)");
    }
    hunks.add(new Hunk(number, header, oldStart, oldCount, lines, oldNoEol, newNoEol));
    return i;
  }

  /**
   * Applies the hunks of {@code file} to {@code text}.
   *
   * @param shifts receives, for each hunk applied away from its header's line, a note
   */
  static Text apply(FilePatch file, Text text, List<String> shifts) throws HunkException {
    List<String> src = text.lines();
    List<String> out = new ArrayList<>();
    int pos = 0; // next line of src not yet copied
    int offset = 0; // how far the hunks found so far lie from their headers' lines
    boolean finalNewline = text.finalNewline();
    for (Hunk h : file.hunks()) {
      List<String> old = h.oldLines();
      int expected = (h.oldCount() == 0 ? h.oldStart() : h.oldStart() - 1) + offset;
      int at = find(src, old, expected, pos);
      if (at < 0) throw new HunkException(explain(file, h, src, old, Math.max(expected, pos)));
      if (at != expected - offset) {
        shifts.add(
            "hunk "
                + h.number()
                + " of "
                + file.name()
                + " applied at line "
                + (at + 1)
                + " ("
                + (at - (expected - offset) > 0 ? "+" : "")
                + (at - (expected - offset))
                + " lines)");
      }
      offset = at - (expected - offset);
      out.addAll(src.subList(pos, at));
      out.addAll(h.newLines());
      pos = at + old.size();
      if (pos == src.size() && (h.oldCount() > 0 || src.isEmpty())) finalNewline = !h.newNoEol();
    }
    out.addAll(src.subList(pos, src.size()));
    return new Text(out, finalNewline);
  }

  /**
   * Where {@code old} occurs in {@code src} at or after {@code from}, nearest to {@code expected}.
   */
  private static int find(List<String> src, List<String> old, int expected, int from) {
    int max = src.size() - old.size();
    if (max < from) return -1;
    int start = Math.min(Math.max(expected, from), max);
    for (int d = 0; start - d >= from || start + d <= max; d++) {
      if (start + d <= max && matches(src, old, start + d)) return start + d;
      if (d > 0 && start - d >= from && matches(src, old, start - d)) return start - d;
    }
    return -1;
  }

  private static boolean matches(List<String> src, List<String> old, int at) {
    for (int i = 0; i < old.size(); i++) if (!src.get(at + i).equals(old.get(i))) return false;
    return true;
  }

  private static String explain(
      FilePatch file, Hunk h, List<String> src, List<String> old, int at) {
    String prefix =
        "hunk " + h.number() + " of " + file.name() + " (" + h.header() + ") does not apply: ";
    String why = null;
    for (int i = 0; i < old.size(); i++) {
      int line = at + i;
      if (line >= src.size()) {
        why =
            "the file has "
                + src.size()
                + " lines where the patch expects line "
                + (line + 1)
                + " to be "
                + quote(old.get(i));
        break;
      }
      if (!src.get(line).equals(old.get(i))) {
        why =
            "line "
                + (line + 1)
                + " is "
                + quote(src.get(line))
                + " where the patch expects "
                + quote(old.get(i));
        break;
      }
    }
    if (why == null) why = "its lines overlap an earlier hunk";
    if (!h.newLines().equals(old) && find(src, h.newLines(), at, 0) >= 0) {
      why += " (the file already contains the hunk's new lines: was the patch applied already?)";
    } else {
      why += " (read the file again and make the patch against its current content)";
    }
    return prefix + why;
  }

  private static String quote(String s) {
    String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
    return "\""
        + t.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\t", "\\t")
        + "\"";
  }
}
