package dev.agentrt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentrtException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code agentrt shell} keeps across restarts, in one JSON file: the active profile, the
 * attachments waiting for the next input, and the inputs run (with their run ids). Written whole
 * (to a temporary file, then moved) after every change.
 *
 * <pre>
 * {"version": 1, "profile": "write", "attachments": [{"path": "a.md", "text": "..."}],
 *  "history": [{"command": "a plain line", "workflow": "w", "profile": "write",
 *               "text": "a plain line", "input": {...}, "runId": "...", "status": "COMPLETED"}]}
 * </pre>
 */
final class ShellSession {
  /** The entries kept: older ones are dropped, so the file stays small. */
  static final int MAX_HISTORY = 200;

  /** One input run: what was typed, the workflow, its input and the run it started. */
  record Entry(
      String command,
      String workflow,
      @Nullable String profile,
      @Nullable String text,
      JsonNode attachments,
      JsonNode input,
      String runId,
      String status) {
    Entry withStatus(String s) {
      return new Entry(command, workflow, profile, text, attachments, input, runId, s);
    }
  }

  private final Path file;
  @Nullable String profile;
  ArrayNode attachments = RunReport.MAPPER.createArrayNode();
  final List<Entry> history = new ArrayList<>();

  private ShellSession(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The session in {@code file}, empty if the file does not exist. */
  static ShellSession load(Path file) {
    ShellSession s = new ShellSession(file);
    if (!Files.exists(file)) return s;
    JsonNode root;
    try {
      root = RunReport.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new AgentrtException(
          "cannot read the shell session "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); delete it, or pass --session with another file");
    }
    if (root == null || !root.isObject())
      throw new AgentrtException(
          "the shell session "
              + file
              + " is not a JSON object; delete it, or pass --session with another file");
    s.profile = root.path("profile").isTextual() ? root.path("profile").asText() : null;
    if (root.path("attachments").isArray())
      s.attachments = (ArrayNode) root.path("attachments").deepCopy();
    for (JsonNode e : root.path("history")) {
      s.history.add(
          new Entry(
              e.path("command").asText(""),
              e.path("workflow").asText(""),
              e.path("profile").isTextual() ? e.path("profile").asText() : null,
              e.path("text").isTextual() ? e.path("text").asText() : null,
              e.path("attachments").isArray()
                  ? e.path("attachments")
                  : RunReport.MAPPER.createArrayNode(),
              e.path("input"),
              e.path("runId").asText(""),
              e.path("status").asText("")));
    }
    return s;
  }

  /** Writes the session; a failure is one line for the person, the session goes on. */
  void save() {
    ObjectNode root = RunReport.MAPPER.createObjectNode();
    root.put("version", 1);
    root.put("profile", profile);
    root.set("attachments", attachments);
    ArrayNode h = root.putArray("history");
    int from = Math.max(0, history.size() - MAX_HISTORY);
    for (Entry e : history.subList(from, history.size())) {
      ObjectNode o = h.addObject();
      o.put("command", e.command());
      o.put("workflow", e.workflow());
      o.put("profile", e.profile());
      o.put("text", e.text());
      o.set("attachments", e.attachments());
      o.set("input", e.input());
      o.put("runId", e.runId());
      o.put("status", e.status());
    }
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
      Files.writeString(tmp, RunReport.write(root, true) + "\n");
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new AgentrtException("cannot write the shell session " + abs + ": " + e);
    }
  }

  /** The last entry, or {@code null}. */
  @Nullable Entry last() {
    return history.isEmpty() ? null : history.get(history.size() - 1);
  }

  /** Replaces the status of the entries of {@code runId}. */
  void status(String runId, String status) {
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).runId().equals(runId)) history.set(i, history.get(i).withStatus(status));
    }
  }
}
