package dev.agentrt.codetools.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import dev.agentrt.tools.WorkspacePaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code patch.apply}: applies a unified diff to the workspace, all of it or nothing. Every file is
 * read and patched in memory first; only when every hunk of every file applies are the new contents
 * written to temporary files beside their targets and renamed over them (each rename atomic). If a
 * rename fails midway, the files already replaced are put back.
 */
public final class PatchApplyTool implements Tool {
  static final int MAX_FILE_BYTES = 8 * 1024 * 1024;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  record Args(
      @JsonPropertyDescription(
              "The unified diff: '--- a/path' and '+++ b/path' headers (or 'diff --git'), then '@@ -l,n +l,n @@' hunks with exact context; '--- /dev/null' creates a file, '+++ /dev/null' deletes one")
          String patch,
      @JsonPropertyDescription("Only check that the patch applies; change nothing. Default false")
          @Nullable Boolean check) {}

  private static final ToolDescriptor DESCRIPTOR =
      new ToolDescriptor(
          "patch.apply",
          "Applies a unified diff (git style) to files in the workspace, atomically: every hunk of every file, or nothing. Context lines must match exactly; a hunk that does not apply is reported with its file, its number and the first line that differs.",
          ToolSchemas.of(Args.class),
          Set.of("fs.read", "fs.write"),
          Effect.NON_IDEMPOTENT,
          List.of("files", "code"));

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /** A planned change: the target's new bytes (null to delete it) and its old bytes (null: new). */
  private record Change(
      String raw, Path target, byte @Nullable [] before, byte @Nullable [] after) {}

  @Override
  public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException {
    Args a = call.argumentsAs(Args.class);
    List<UnifiedDiff.FilePatch> files;
    try {
      files = UnifiedDiff.parse(a.patch());
    } catch (UnifiedDiff.FormatException e) {
      return ToolResult.failure(e.getMessage());
    }
    WorkspacePaths paths = WorkspacePaths.of(ctx.workspace());
    boolean allowHardLinks = ctx.settings().path("allow_hard_links").asBoolean(false);
    List<Change> changes = new ArrayList<>();
    List<String> shifts = new ArrayList<>();
    ArrayNode report = NODES.arrayNode();
    Set<Path> touched = new HashSet<>();
    try {
      for (UnifiedDiff.FilePatch f : files) {
        if (ctx.isCancelled())
          return ToolResult.failure("patch.apply was cancelled; nothing was changed");
        String from = f.oldPath();
        String to = f.newPath();
        Path source = from == null ? null : paths.resolveForWrite(from);
        Path target = to == null ? null : paths.resolveForWrite(to);
        for (Path p : new Path[] {source, target}) {
          if (p != null && !touched.add(p) && !(p.equals(target) && p.equals(source))) {
            return ToolResult.failure(
                "the patch changes "
                    + paths.relative(p)
                    + " twice (merge its changes into one file diff)");
          }
        }
        byte[] before = null;
        UnifiedDiff.Text text = new UnifiedDiff.Text(List.of(), true);
        if (source != null) {
          if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            return ToolResult.failure(
                "the patch changes "
                    + WorkspacePaths.show(from)
                    + (Files.isDirectory(source)
                        ? ", which is a directory"
                        : ", which does not exist")
                    + " (check the path in its '--- a/...' line; a new file has '--- /dev/null')");
          }
          paths.checkHardLinks(from, source, "patch.apply", allowHardLinks);
          before = Files.readAllBytes(source);
          String content = decode(before);
          if (content == null) {
            return ToolResult.failure(
                "the patch changes "
                    + WorkspacePaths.show(from)
                    + ", which is not UTF-8 text (patch.apply changes text files only)");
          }
          if (before.length > MAX_FILE_BYTES) {
            return ToolResult.failure(
                WorkspacePaths.show(from)
                    + " is larger than "
                    + MAX_FILE_BYTES
                    + " bytes (patch.apply changes smaller files only)");
          }
          text = UnifiedDiff.Text.of(content);
        }
        if (target != null
            && !target.equals(source)
            && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          return ToolResult.failure(
              "the patch creates "
                  + WorkspacePaths.show(to)
                  + ", which already exists (make the patch against the existing file: '--- a/"
                  + WorkspacePaths.show(to)
                  + "')");
        }
        UnifiedDiff.Text after = UnifiedDiff.apply(f, text, shifts);
        ObjectNode o = report.addObject();
        o.put("path", to != null ? to : from);
        int added = 0;
        int removed = 0;
        for (UnifiedDiff.Hunk h : f.hunks()) {
          for (UnifiedDiff.Line l : h.lines()) {
            if (l.op() == '+') added++;
            if (l.op() == '-') removed++;
          }
        }
        if (target == null) {
          if (!after.lines().isEmpty()) {
            return ToolResult.failure(
                "the patch deletes "
                    + WorkspacePaths.show(from)
                    + " but its hunks remove only part of it ("
                    + after.lines().size()
                    + " lines would remain; read the file again and make the patch against its current content)");
          }
          changes.add(new Change(from, source, before, null));
          o.put("change", "deleted");
        } else {
          byte[] bytes = after.render().getBytes(StandardCharsets.UTF_8);
          if (source != null && !source.equals(target)) {
            changes.add(new Change(from, source, before, null));
            changes.add(new Change(to, target, null, bytes));
            o.put("change", "renamed");
            o.put("from", from);
          } else {
            changes.add(new Change(to, target, before, bytes));
            o.put("change", source == null ? "created" : "modified");
          }
        }
        o.put("hunks", f.hunks().size());
        o.put("lines_added", added);
        o.put("lines_removed", removed);
      }
    } catch (WorkspacePaths.RefusedPathException | UnifiedDiff.HunkException e) {
      return ToolResult.failure(e.getMessage() + "; nothing was changed");
    }
    boolean checkOnly = Boolean.TRUE.equals(a.check());
    if (!checkOnly) {
      try {
        commit(paths, changes);
      } catch (WorkspacePaths.RefusedPathException e) {
        return ToolResult.failure(e.getMessage() + "; nothing was changed");
      }
    }
    ObjectNode r = NODES.objectNode();
    r.put("applied", !checkOnly);
    r.set("files", report);
    if (!shifts.isEmpty()) {
      ArrayNode s = r.putArray("shifted");
      shifts.forEach(s::add);
    }
    return ToolResult.success(r);
  }

  /** UTF-8 text, or null for bytes that are not (or contain a NUL). */
  private static @Nullable String decode(byte[] b) {
    for (byte x : b) if (x == 0) return null;
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Writes every new content to a temporary file beside its target, then renames them over the
   * targets and deletes what is deleted; on a failure, restores what was already done.
   */
  private static void commit(WorkspacePaths paths, List<Change> changes)
      throws IOException, WorkspacePaths.RefusedPathException {
    List<Path> temps = new ArrayList<>();
    List<Path> createdDirs = new ArrayList<>();
    List<Change> done = new ArrayList<>();
    boolean ok = false;
    try {
      for (Change c : changes) {
        if (c.after() == null) {
          temps.add(null);
          continue;
        }
        Path dir = c.target().getParent();
        if (!Files.isDirectory(dir)) {
          Path d = dir;
          List<Path> missing = new ArrayList<>();
          while (d != null && !Files.exists(d)) {
            missing.add(0, d);
            d = d.getParent();
          }
          Files.createDirectories(dir);
          createdDirs.addAll(missing);
        }
        temps.add(temp(c.target(), c.after(), c.before() == null ? null : c.target()));
      }
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        paths.recheckForWrite(c.raw(), c.target());
        if (c.after() == null) {
          Files.delete(c.target());
        } else {
          Files.move(
              temps.get(i),
              c.target(),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        }
        done.add(c);
      }
      ok = true;
    } finally {
      for (Path t : temps) if (t != null) Files.deleteIfExists(t);
      if (!ok) {
        for (int i = done.size() - 1; i >= 0; i--) restore(done.get(i));
        for (int i = createdDirs.size() - 1; i >= 0; i--) {
          try {
            Files.deleteIfExists(createdDirs.get(i));
          } catch (IOException e) {
            // not empty: something else wrote there meanwhile; leave it
          }
        }
      }
    }
  }

  /** Puts back the file a change replaced, created or deleted. */
  private static void restore(Change c) throws IOException {
    if (c.before() == null) {
      Files.deleteIfExists(c.target());
    } else {
      Path t = temp(c.target(), c.before(), null);
      Files.move(
          t, c.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * A temporary file beside {@code target} holding {@code bytes}, with the permissions of {@code
   * like} (else rw-r--r--).
   */
  private static Path temp(Path target, byte[] bytes, @Nullable Path like) throws IOException {
    Path t =
        Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".patch.tmp");
    Files.write(t, bytes);
    PosixFileAttributeView view =
        Files.getFileAttributeView(t, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      view.setPermissions(
          like != null
              ? Files.getPosixFilePermissions(like, LinkOption.NOFOLLOW_LINKS)
              : PosixFilePermissions.fromString("rw-r--r--"));
    }
    return t;
  }
}
