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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.jspecify.annotations.Nullable;

/**
 * {@code git.status} and {@code git.diff}: read-only views of the git repository the workspace is
 * in (JGit; no {@code git} executable needed). Paths in results are relative to the repository's
 * top directory; when the workspace is a sub-directory, only changes under it are shown.
 */
public final class GitTools {
  static final int MAX_ENTRIES = 1000;
  static final int DEFAULT_MAX_BYTES = 64 * 1024;
  static final int MAX_BYTES = 1024 * 1024;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GitTools() {}

  /** The repository the workspace is in, and the workspace's path inside it ("" at its top). */
  private record Repo(Repository repository, String prefix) implements AutoCloseable {
    @Override
    public void close() {
      repository.close();
    }
  }

  /** A user error: the message is for the caller. */
  private static final class GitProblem extends Exception {
    private static final long serialVersionUID = 1L;

    GitProblem(String message) {
      super(message);
    }
  }

  private static Repo open(ToolContext ctx, String tool) throws GitProblem, IOException {
    Path ws = ctx.workspace();
    FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(ws.toFile());
    if (b.getGitDir() == null) {
      throw new GitProblem(
          tool
              + ": the workspace '"
              + ws
              + "' is not inside a git repository (run 'git init' there, or set policy.workspace to a repository)");
    }
    Repository r = b.setMustExist(true).build();
    if (r.isBare()) {
      r.close();
      throw new GitProblem(
          tool + ": the repository at '" + r.getDirectory() + "' is bare (it has no working tree)");
    }
    Path top = r.getWorkTree().toPath().toRealPath();
    String prefix = ws.startsWith(top) ? top.relativize(ws).toString().replace('\\', '/') : "";
    return new Repo(r, prefix);
  }

  // ---------------------------------------------------------------------- git.status

  record StatusArgs() {}

  /** {@code git.status}. */
  public static final class StatusTool implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "git.status",
            "The git status of the workspace's repository: the branch, whether the working tree is clean, and the files added, changed (staged), modified (not staged), removed, missing, untracked and conflicting. Read-only.",
            ToolSchemas.of(StatusArgs.class),
            Set.of("fs.read"),
            Effect.NONE,
            List.of("git"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException, GitAPIException {
      call.argumentsAs(StatusArgs.class);
      try (Repo repo = open(ctx, "git.status");
          Git git = new Git(repo.repository())) {
        StatusCommand cmd = git.status();
        if (!repo.prefix().isEmpty()) cmd.addPath(repo.prefix());
        org.eclipse.jgit.api.Status s = cmd.call();
        ObjectNode o = NODES.objectNode();
        o.put("branch", repo.repository().getBranch());
        ObjectId head = repo.repository().resolve("HEAD");
        if (head == null) o.putNull("head");
        else o.put("head", head.abbreviate(12).name());
        o.put("clean", s.isClean());
        boolean[] truncated = {false};
        list(o, "added", s.getAdded(), truncated);
        list(o, "changed", s.getChanged(), truncated);
        list(o, "modified", s.getModified(), truncated);
        list(o, "removed", s.getRemoved(), truncated);
        list(o, "missing", s.getMissing(), truncated);
        list(o, "untracked", s.getUntracked(), truncated);
        list(o, "conflicting", s.getConflicting(), truncated);
        o.put("truncated", truncated[0]);
        return ToolResult.success(o);
      } catch (GitProblem e) {
        return ToolResult.failure(e.getMessage());
      }
    }

    private static void list(
        ObjectNode o, String key, Collection<String> paths, boolean[] truncated) {
      ArrayNode a = o.putArray(key);
      int n = 0;
      for (String p : new TreeSet<>(paths)) {
        if (n++ == MAX_ENTRIES) {
          truncated[0] = true;
          break;
        }
        a.add(p);
      }
    }
  }

  // ---------------------------------------------------------------------- git.diff

  record DiffArgs(
      @JsonPropertyDescription(
              "Only these files or directories, relative to the workspace; default all")
          @Nullable List<String> paths,
      @JsonPropertyDescription(
              "true: the staged changes (index against HEAD); false (default): the working tree against HEAD")
          @Nullable Boolean staged,
      @JsonPropertyDescription("Cut the diff after this many bytes; default 65536, at most 1048576")
          @Nullable Integer maxBytes) {}

  /** {@code git.diff}. */
  public static final class DiffTool implements Tool {
    private static final ToolDescriptor DESCRIPTOR =
        new ToolDescriptor(
            "git.diff",
            "The unified diff of the workspace's repository: tracked files in the working tree against HEAD (git diff HEAD), or with staged: true the index against HEAD (git diff --cached). Optionally only some paths. Read-only.",
            ToolSchemas.of(DiffArgs.class),
            Set.of("fs.read"),
            Effect.NONE,
            List.of("git"));

    @Override
    public ToolDescriptor descriptor() {
      return DESCRIPTOR;
    }

    @Override
    public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException, GitAPIException {
      DiffArgs a = call.argumentsAs(DiffArgs.class);
      int max = a.maxBytes() == null ? DEFAULT_MAX_BYTES : a.maxBytes();
      if (max < 1 || max > MAX_BYTES) {
        return ToolResult.failure("max_bytes must be between 1 and " + MAX_BYTES + ", got " + max);
      }
      boolean staged = Boolean.TRUE.equals(a.staged());
      try (Repo repo = open(ctx, "git.diff");
          Git git = new Git(repo.repository())) {
        Repository r = repo.repository();
        List<String> filters = new ArrayList<>();
        if (a.paths() != null && !a.paths().isEmpty()) {
          WorkspacePaths ws = WorkspacePaths.of(ctx.workspace());
          Path top = r.getWorkTree().toPath().toRealPath();
          for (String raw : a.paths()) {
            Path p;
            try {
              p = ws.resolveForRead(raw);
            } catch (WorkspacePaths.RefusedPathException e) {
              return ToolResult.failure(e.getMessage());
            }
            String rel = top.relativize(p).toString().replace('\\', '/');
            if (rel.isEmpty()) {
              filters.clear();
              break;
            }
            filters.add(rel);
          }
        }
        if (filters.isEmpty() && !repo.prefix().isEmpty()) filters.add(repo.prefix());
        Limited out = new Limited(max);
        List<DiffEntry> entries;
        try (ObjectReader reader = r.newObjectReader();
            DiffFormatter fmt = new DiffFormatter(out)) {
          fmt.setRepository(r);
          AbstractTreeIterator head = headTree(r, reader);
          AbstractTreeIterator side;
          if (staged) {
            side = new DirCacheIterator(r.readDirCache());
            if (!filters.isEmpty()) fmt.setPathFilter(PathFilterGroup.createFromStrings(filters));
          } else {
            // git diff HEAD: only tracked files (a FileTreeIterator alone would show untracked and
            // ignored files as added), so diff exactly the paths git status finds changed
            org.eclipse.jgit.api.Status s = git.status().call();
            Set<String> changed = new TreeSet<>();
            changed.addAll(s.getAdded());
            changed.addAll(s.getChanged());
            changed.addAll(s.getModified());
            changed.addAll(s.getRemoved());
            changed.addAll(s.getMissing());
            changed.addAll(s.getConflicting());
            if (!filters.isEmpty()) changed.removeIf(p -> !under(p, filters));
            if (changed.isEmpty()) return ToolResult.success(result(staged, List.of(), out));
            fmt.setPathFilter(PathFilterGroup.createFromStrings(changed));
            side = new FileTreeIterator(r);
          }
          entries = fmt.scan(head, side);
          try {
            fmt.format(entries);
          } catch (Limited.Full e) {
            // cut: result says truncated
          }
          try {
            fmt.flush();
          } catch (Limited.Full e) {
            // cut
          }
        }
        return ToolResult.success(result(staged, entries, out));
      } catch (GitProblem e) {
        return ToolResult.failure(e.getMessage());
      }
    }

    private static boolean under(String path, List<String> filters) {
      for (String f : filters) if (path.equals(f) || path.startsWith(f + "/")) return true;
      return false;
    }

    private static ObjectNode result(boolean staged, List<DiffEntry> entries, Limited out) {
      ObjectNode o = NODES.objectNode();
      o.put("staged", staged);
      ArrayNode files = o.putArray("files");
      for (DiffEntry e : entries) {
        ObjectNode f = files.addObject();
        f.put(
            "path",
            e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath());
        f.put("change", e.getChangeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      o.put("diff", out.text());
      o.put("truncated", out.full);
      return o;
    }

    private static AbstractTreeIterator headTree(Repository r, ObjectReader reader)
        throws IOException {
      ObjectId head = r.resolve("HEAD^{tree}");
      if (head == null) return new EmptyTreeIterator(); // no commit yet
      CanonicalTreeParser p = new CanonicalTreeParser();
      p.reset(reader, head);
      return p;
    }
  }

  /** Keeps the first {@code max} bytes written to it, then refuses more. */
  static final class Limited extends OutputStream {
    static final class Full extends IOException {
      private static final long serialVersionUID = 1L;

      Full() {
        super("output limit reached");
      }
    }

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final int max;
    boolean full;

    Limited(int max) {
      this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int room = max - buf.size();
      if (len > room) {
        buf.write(b, off, Math.max(0, room));
        full = true;
        throw new Full();
      }
      buf.write(b, off, len);
    }

    String text() {
      String s = buf.toString(StandardCharsets.UTF_8);
      // do not end inside a UTF-8 sequence
      return full && !s.isEmpty() && s.charAt(s.length() - 1) == '\uFFFD'
          ? s.substring(0, s.length() - 1)
          : s;
    }
  }
}
