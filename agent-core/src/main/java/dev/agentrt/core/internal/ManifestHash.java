package dev.agentrt.core.internal;

import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hash a run records of its workflow: the workflow's file, its sub-workflows, agents and
 * prompts.
 */
final class ManifestHash {
  private ManifestHash() {}

  static String hash(
      Path dir,
      String id,
      Map<String, WorkflowSpec> workflows,
      Map<String, ManifestFile> wfFiles,
      Map<String, AgentSpec> agentSpecs,
      Map<String, ManifestFile> agentFiles) {
    Set<String> wfs = new TreeSet<>();
    Set<String> ags = new TreeSet<>();
    collect(id, workflows, wfs, ags);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String w : wfs) {
        md.update(("workflow:" + w + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(wfFiles.get(w).bytes);
      }
      for (String a : ags) {
        ManifestFile f = agentFiles.get(a);
        if (f == null) continue;
        md.update(("agent:" + a + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(f.bytes);
        AgentSpec spec = agentSpecs.get(a);
        if (spec != null && spec.output() != null && spec.output().type() != null) {
          // the schema generated from a record changes with the record, not with the file
          md.update(("schema:" + spec.output().schema() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (spec != null && spec.system() != null) {
          // the system prompt shapes every LLM request: a changed prompt is a changed workflow
          md.update(("prompt:" + spec.system() + "\n").getBytes(StandardCharsets.UTF_8));
          Path prompt = dir.resolve(spec.system());
          // only a regular file is read (a FIFO would block); others are reported by checkAgents
          if (Files.isRegularFile(prompt)) {
            try (java.io.InputStream in = Files.newInputStream(prompt)) {
              byte[] buf = new byte[8192];
              for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            } catch (IOException e) {
              md.update(new byte[] {0});
            }
          } else {
            md.update(new byte[] {0});
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * The workflows {@code id} runs, itself included, and the agents they use, into the two sets
   * (iterative).
   */
  private static void collect(
      String id, Map<String, WorkflowSpec> workflows, Set<String> wfs, Set<String> ags) {
    Deque<String> todo = new ArrayDeque<>();
    todo.push(id);
    while (!todo.isEmpty()) {
      String w = todo.pop();
      WorkflowSpec wf = workflows.get(w);
      if (wf == null || !wfs.add(w)) continue;
      for (NodeSpec n : wf.nodes()) {
        if (n == null) continue;
        if (n.agent() != null) ags.add(n.agent());
        if (n.workflow() != null) todo.push(n.workflow());
      }
    }
  }
}
