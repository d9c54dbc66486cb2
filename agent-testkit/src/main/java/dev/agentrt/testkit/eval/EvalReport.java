package dev.agentrt.testkit.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of an eval suite, rendered as a fixed-width table, JSON or JUnit XML.
 *
 * @since 0.1
 */
public final class EvalReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<EvalResult> results;

  /** A report of {@code results}, in order. */
  public EvalReport(List<EvalResult> results) {
    this.results = List.copyOf(results);
  }

  /** The results, in the order the cases ran. */
  public List<EvalResult> results() {
    return results;
  }

  /** Whether every case passed (true for no case). */
  public boolean passed() {
    return results.stream().allMatch(EvalResult::passed);
  }

  /**
   * A table, one row per case (CASE, WORKFLOW, RESULT, RUNS as passes/runs, LLM CALLS, TOKENS, COST
   * USD, TIME), a summary line, then each failed case's failures.
   */
  public String table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "CASE", "WORKFLOW", "RESULT", "RUNS", "LLM CALLS", "TOKENS", "COST USD", "TIME"
        });
    for (EvalResult r : results) {
      rows.add(
          new String[] {
            r.name(),
            r.workflow(),
            r.passed() ? "PASS" : "FAIL",
            r.passes() + "/" + r.runs(),
            Long.toString(r.llmCalls()),
            Long.toString(r.tokens()),
            String.format(Locale.ROOT, "%.4f", r.costUsd()),
            millis(r.duration())
          });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) line.append(" ".repeat(width[i] - row[i].length() + 2));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    long failed = results.stream().filter(r -> !r.passed()).count();
    sb.append(results.size() - failed).append(" passed, ").append(failed).append(" failed\n");
    for (EvalResult r : results) {
      if (r.passed()) continue;
      sb.append('\n').append(r.name()).append(" failed:\n");
      for (String f : r.failures()) sb.append("  - ").append(f).append('\n');
    }
    return sb.toString();
  }

  /**
   * One JSON object: {@code passed}, {@code total}, {@code failed} and {@code cases}, each with
   * name, workflow, passed, runs, passes, failures, llmCalls, tokens, costUsd and durationMs.
   */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("passed", passed());
    root.put("total", results.size());
    root.put("failed", results.stream().filter(r -> !r.passed()).count());
    ArrayNode cases = root.putArray("cases");
    for (EvalResult r : results) {
      ObjectNode o = cases.addObject();
      o.put("name", r.name());
      o.put("workflow", r.workflow());
      o.put("passed", r.passed());
      o.put("runs", r.runs());
      o.put("passes", r.passes());
      ArrayNode f = o.putArray("failures");
      r.failures().forEach(f::add);
      o.put("llmCalls", r.llmCalls());
      o.put("tokens", r.tokens());
      o.put("costUsd", r.costUsd());
      o.put("durationMs", r.duration().toMillis());
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JUnit XML report (one {@code testsuite} named {@code suiteName}, a {@code testcase} per case
   * with a {@code failure} listing its failures), as CI tools read it.
   */
  public String junitXml(String suiteName) {
    long failed = results.stream().filter(r -> !r.passed()).count();
    Duration total =
        results.stream().map(EvalResult::duration).reduce(Duration.ZERO, Duration::plus);
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<testsuite name=\"")
        .append(xml(suiteName))
        .append("\" tests=\"")
        .append(results.size())
        .append("\" failures=\"")
        .append(failed)
        .append("\" errors=\"0\" skipped=\"0\" time=\"")
        .append(seconds(total))
        .append("\">\n");
    for (EvalResult r : results) {
      sb.append("  <testcase name=\"")
          .append(xml(r.name()))
          .append("\" classname=\"")
          .append(xml(suiteName + "." + r.workflow()))
          .append("\" time=\"")
          .append(seconds(r.duration()))
          .append('"');
      if (r.passed()) {
        sb.append("/>\n");
        continue;
      }
      String message = r.failures().isEmpty() ? "failed" : r.failures().get(0);
      sb.append(">\n    <failure message=\"")
          .append(xml(message))
          .append("\" type=\"EvalFailure\">")
          .append(xml(String.join("\n", r.failures())))
          .append("</failure>\n  </testcase>\n");
    }
    sb.append("</testsuite>\n");
    return sb.toString();
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /** Escapes for XML text and attributes, dropping characters XML 1.0 cannot hold. */
  private static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        case '\n' -> sb.append("&#10;");
        case '\t', '\r' -> sb.append(c);
        default -> {
          if (c >= 0x20 || Character.isSurrogate(c)) sb.append(c);
        }
      }
    }
    return sb.toString();
  }
}
