package dev.agentrt.codetools;

import dev.agentrt.codetools.internal.GitTools;
import dev.agentrt.codetools.internal.JavaCheckTool;
import dev.agentrt.codetools.internal.PatchApplyTool;
import dev.agentrt.core.spi.Tool;
import java.util.List;

/**
 * Tools for coding agents: {@code patch.apply}, {@code java.check}, {@code git.status} and {@code
 * git.diff}. With this module on the classpath a ToolBus built with discovery on (the default) has
 * all of them; with discovery off, register them with {@code
 * ToolBus.builder().tools(CodeTools.all())}. Their arguments, results, effects and permissions are
 * documented in {@code docs/tools.md}.
 *
 * @since 0.1
 */
public final class CodeTools {
  private CodeTools() {}

  /** Every code tool, in the order of {@code docs/tools.md}. */
  public static List<Tool> all() {
    return List.of(patchApply(), javaCheck(), gitStatus(), gitDiff());
  }

  /**
   * {@code patch.apply}: applies a unified diff to the workspace, every hunk of every file or
   * nothing; effect non_idempotent.
   */
  public static Tool patchApply() {
    return new PatchApplyTool();
  }

  /** {@code java.check}: PMD static analysis of Java files in the workspace; effect none. */
  public static Tool javaCheck() {
    return new JavaCheckTool();
  }

  /** {@code git.status}: the status of the workspace's git repository; effect none. */
  public static Tool gitStatus() {
    return new GitTools.StatusTool();
  }

  /**
   * {@code git.diff}: the unified diff against HEAD, of the working tree or the index; effect none.
   */
  public static Tool gitDiff() {
    return new GitTools.DiffTool();
  }
}
