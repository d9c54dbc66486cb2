package dev.agentrt.tools;

import dev.agentrt.tools.internal.Sandbox;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The sandbox of the built-in file tools, for tools of other modules that take paths: resolves a
 * path argument inside a workspace and refuses it exactly as {@code fs.read} and {@code fs.write}
 * do (the rules are in {@code docs/tools.md}, "The sandbox").
 *
 * <pre>{@code
 * WorkspacePaths paths = WorkspacePaths.of(context.workspace());
 * try {
 *   Path file = paths.resolveForWrite(args.path());
 *   ...
 * } catch (WorkspacePaths.RefusedPathException e) {
 *   return ToolResult.failure(e.getMessage()); // "path '../x' is refused: '..' is not allowed (...)"
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class WorkspacePaths {
  private final Sandbox sandbox;

  private WorkspacePaths(Path workspace) {
    this.sandbox = new Sandbox(workspace);
  }

  /**
   * The sandbox of {@code workspace}.
   *
   * @param workspace an absolute, real directory, as {@link
   *     dev.agentrt.core.spi.ToolContext#workspace()} gives it
   */
  public static WorkspacePaths of(Path workspace) {
    return new WorkspacePaths(Objects.requireNonNull(workspace, "workspace"));
  }

  /** The workspace. */
  public Path workspace() {
    return sandbox.root();
  }

  /**
   * Resolves {@code raw} for reading: an absolute path inside the workspace, links inside it
   * followed (the file need not exist).
   *
   * @throws RefusedPathException with a message for the caller naming the path and the reason
   */
  public Path resolveForRead(String raw) throws RefusedPathException {
    try {
      return sandbox.resolve(raw, Sandbox.Access.READ);
    } catch (Sandbox.Refused e) {
      throw new RefusedPathException(e.getMessage());
    }
  }

  /**
   * Resolves {@code raw} for writing: as {@link #resolveForRead}, and a symbolic link as the last
   * component is refused (writers never write through links).
   *
   * @throws RefusedPathException with a message for the caller naming the path and the reason
   */
  public Path resolveForWrite(String raw) throws RefusedPathException {
    try {
      return sandbox.resolve(raw, Sandbox.Access.WRITE);
    } catch (Sandbox.Refused e) {
      throw new RefusedPathException(e.getMessage());
    }
  }

  /**
   * Checks again, just before a writer commits, that {@code resolved} (from {@link
   * #resolveForWrite}) still lies in the same real directory inside the workspace and is not a
   * link.
   *
   * @throws RefusedPathException if a link was swapped in since it was resolved
   */
  public void recheckForWrite(String raw, Path resolved) throws RefusedPathException {
    try {
      sandbox.recheck(raw, resolved);
    } catch (Sandbox.Refused e) {
      throw new RefusedPathException(e.getMessage());
    }
  }

  /**
   * Refuses a regular file with more than one hard link, as {@code fs.read} does, unless {@code
   * allowed} ({@code tool}'s {@code allow_hard_links} setting, named in the message).
   *
   * @throws RefusedPathException if the file has other names
   */
  public void checkHardLinks(String raw, Path resolved, String tool, boolean allowed)
      throws RefusedPathException {
    try {
      Sandbox.checkHardLinks(raw, resolved, tool, allowed);
    } catch (Sandbox.Refused e) {
      throw new RefusedPathException(e.getMessage());
    }
  }

  /**
   * The workspace-relative form of {@code p} with {@code /} separators ({@code .} for the root).
   */
  public String relative(Path p) {
    return sandbox.relative(p);
  }

  /** {@code raw} as it can be shown in a message: control and non-ASCII characters escaped. */
  public static String show(String raw) {
    return Sandbox.show(raw);
  }

  /** A path argument was refused; the message says which path, why, and what to give instead. */
  public static final class RefusedPathException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A refusal with a message for the caller. */
    public RefusedPathException(String message) {
      super(message);
    }
  }
}
