package dev.agentrt.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code ${env:X}}, {@code ${env:X:-default}} and {@code ${file:path}} in every string of
 * a manifest tree, in place. {@code $${} writes a literal {@code ${}.
 */
final class Variables {
  private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");

  /**
   * A key or variable name that names a credential. {@code authorization} and {@code cookie} are
   * HTTP headers that carry one ({@code Authorization: Bearer ${env:X}}).
   */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(key|token|secret|password|passwd|credential|authorization|cookie).*");

  /** Reports a problem at a JSON pointer. */
  interface Sink {
    void problem(String pointer, String message);
  }

  private final Function<String, @Nullable String> env;
  private final Path baseDir;
  private final Set<String> secrets;
  private final long maxFileBytes;

  /**
   * @param env environment lookup
   * @param baseDir the directory {@code ${file:...}} paths are relative to
   * @param secrets receives each referenced value resolved under a key that names a credential
   *     ({@code Authorization: Bearer ${env:X}} gives X's value, so a masked header still reads
   *     {@code Bearer ****}), and each value of a variable or file whose own name names one ({@code
   *     ${env:API_TOKEN}} anywhere)
   * @param maxFileBytes the largest file {@code ${file:...}} reads
   */
  Variables(
      Function<String, @Nullable String> env,
      Path baseDir,
      Set<String> secrets,
      long maxFileBytes) {
    this.env = env;
    this.baseDir = baseDir;
    this.secrets = secrets;
    this.maxFileBytes = maxFileBytes;
  }

  void resolve(JsonNode node, String pointer, @Nullable String key, Sink sink) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        JsonNode v = e.getValue();
        String child = pointer + "/" + LocatedTree.escape(e.getKey());
        if (v.isTextual()) {
          String r = resolveText(v.asText(), child, e.getKey(), sink);
          if (r != null) e.setValue(Json.NODES.textNode(r));
        } else {
          resolve(v, child, e.getKey(), sink);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        String child = pointer + "/" + i;
        if (v.isTextual()) {
          String r = resolveText(v.asText(), child, key, sink);
          if (r != null) a.set(i, Json.NODES.textNode(r));
        } else {
          resolve(v, child, key, sink);
        }
      }
    }
  }

  /** The resolved text, or null if {@code text} has no reference (or could not be resolved). */
  private @Nullable String resolveText(
      String text, String pointer, @Nullable String key, Sink sink) {
    if (text.indexOf("${") < 0) return null;
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    boolean credentialKey = key != null && SECRET_KEY.matcher(key).matches();
    List<String> referenced = new ArrayList<>();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "${";
      } else {
        String ref = m.group(1);
        replacement = lookup(ref, pointer, sink);
        if (replacement == null) {
          ok = false;
          replacement = "";
        } else {
          if (credentialKey || SECRET_KEY.matcher(refName(ref)).matches())
            referenced.add(replacement);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    if (!ok) return null;
    String resolved = out.toString();
    for (String r : referenced) {
      if (!r.isEmpty()) secrets.add(r);
    }
    return resolved;
  }

  /** The variable name of {@code env:NAME[:-default]}, or the path of {@code file:path}. */
  private static String refName(String ref) {
    if (ref.startsWith("env:")) {
      String spec = ref.substring(4);
      int dflt = spec.indexOf(":-");
      return dflt >= 0 ? spec.substring(0, dflt) : spec;
    }
    return ref.startsWith("file:") ? ref.substring(5) : ref;
  }

  private @Nullable String lookup(String ref, String pointer, Sink sink) {
    if (ref.startsWith("env:")) {
      String spec = ref.substring(4);
      int dflt = spec.indexOf(":-");
      String name = dflt >= 0 ? spec.substring(0, dflt) : spec;
      if (name.isEmpty()) {
        sink.problem(
            pointer,
            "'${" + ref + "}' names no variable (write ${env:NAME} or ${env:NAME:-default})");
        return null;
      }
      String value = env.apply(name);
      if (value != null) return value;
      if (dflt >= 0) return spec.substring(dflt + 2);
      sink.problem(
          pointer,
          "environment variable "
              + name
              + " is not set (export it, or use ${env:"
              + name
              + ":-} to make it optional)");
      return null;
    }
    if (ref.startsWith("file:")) {
      String file = ref.substring(5).trim();
      if (file.isEmpty()) {
        sink.problem(
            pointer,
            "'${file:}' names no file (write ${file:path}, relative to the configuration directory)");
        return null;
      }
      Path path = baseDir.resolve(file);
      try {
        // a regular file only, bounded, strict UTF-8: /dev/zero or a FIFO is refused, never read
        String content =
            BoundedText.read(
                path,
                maxFileBytes,
                " for ${file:...} (point it at a small file holding the value)");
        return content.endsWith("\n")
            ? content.substring(0, content.length() - (content.endsWith("\r\n") ? 2 : 1))
            : content;
      } catch (BoundedText.Problem e) {
        String where = e.line > 0 ? " at line " + e.line + ", column " + e.column : "";
        sink.problem(pointer, "file '" + file + "'" + where + ": " + e.getMessage());
      } catch (NoSuchFileException e) {
        sink.problem(
            pointer,
            "file '"
                + file
                + "' does not exist (looked for "
                + path.toAbsolutePath().normalize()
                + ")");
      } catch (IOException e) {
        sink.problem(pointer, "file '" + file + "' cannot be read: " + e.getMessage());
      }
      return null;
    }
    sink.problem(
        pointer,
        "unknown reference '${"
            + ref
            + "}' (write ${env:NAME}, ${env:NAME:-default} or ${file:path}; $${ for a literal ${)");
    return null;
  }
}
