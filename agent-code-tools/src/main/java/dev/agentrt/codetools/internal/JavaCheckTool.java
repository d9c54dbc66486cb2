package dev.agentrt.codetools.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.spi.Effect;
import dev.agentrt.core.spi.Suggestions;
import dev.agentrt.core.spi.Tool;
import dev.agentrt.core.spi.ToolCall;
import dev.agentrt.core.spi.ToolContext;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.tools.ToolSchemas;
import dev.agentrt.tools.WorkspacePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.sourceforge.pmd.PMDConfiguration;
import net.sourceforge.pmd.PmdAnalysis;
import net.sourceforge.pmd.lang.rule.Rule;
import net.sourceforge.pmd.lang.rule.RulePriority;
import net.sourceforge.pmd.lang.rule.RuleSet;
import net.sourceforge.pmd.reporting.Report;
import net.sourceforge.pmd.reporting.RuleViolation;
import org.jspecify.annotations.Nullable;

/**
 * {@code java.check}: PMD 7 over the given Java files of the workspace, with a small default rule
 * set of likely bugs and dead code. Runs in the calling thread, without PMD's analysis cache.
 */
public final class JavaCheckTool implements Tool {
  /** The default rules: quick, few false positives, each a likely bug or dead code. */
  static final List<String> DEFAULT_RULES =
      List.of(
          "bestpractices/UnusedLocalVariable",
          "bestpractices/UnusedPrivateField",
          "bestpractices/UnusedPrivateMethod",
          "errorprone/EmptyCatchBlock",
          "errorprone/EqualsNull",
          "errorprone/BrokenNullCheck",
          "errorprone/MisplacedNullCheck",
          "errorprone/ReturnFromFinallyBlock",
          "errorprone/CompareObjectsWithEquals",
          "errorprone/UnconditionalIfStatement",
          "errorprone/JumbledIncrementer",
          "errorprone/UselessOperationOnImmutable",
          "errorprone/ImplicitSwitchFallThrough");

  static final List<String> CATEGORIES =
      List.of(
          "bestpractices",
          "codestyle",
          "design",
          "documentation",
          "errorprone",
          "multithreading",
          "performance",
          "security");

  static final int MAX_FILES = 500;
  private static final Pattern RULE_REF =
      Pattern.compile("(?:category/java/)?([a-z]+)(?:\\.xml)?(?:/([A-Za-z0-9]+))?");
  private static final Pattern RULE_NAME = Pattern.compile("<rule\\s+name=\"([A-Za-z0-9]+)\"");
  private static final Map<String, Set<String>> RULES_OF = new ConcurrentHashMap<>();

  /**
   * Loaded rule sets by their references: loading parses PMD's category files (most of a warm
   * call's time), so each list of rules is loaded once and copied for each call.
   */
  private static final Map<List<String>, RuleSet> RULE_SETS = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_RULE_SETS = 32;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  record Args(
      @JsonPropertyDescription(
              "Java files (or directories, searched for .java files) relative to the workspace, for example [\"src/main/java/demo/App.java\"]")
          List<String> paths,
      @JsonPropertyDescription(
              "PMD rules to run instead of the default set: 'category/Rule' (errorprone/EmptyCatchBlock), 'category/java/errorprone.xml/EmptyCatchBlock', or a whole category (bestpractices)")
          @Nullable List<String> rules) {}

  private static final ToolDescriptor DESCRIPTOR =
      new ToolDescriptor(
          "java.check",
          "Static analysis of Java files in the workspace with PMD: returns findings [{severity, file, line, rule, message, suggestion}]. By default runs a small set of bug and dead-code rules; 'rules' chooses others.",
          ToolSchemas.of(Args.class),
          Set.of("fs.read"),
          Effect.NONE,
          List.of("code"));

  @Override
  public ToolDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ToolResult execute(ToolCall call, ToolContext ctx) throws IOException {
    Args a = call.argumentsAs(Args.class);
    if (a.paths().isEmpty()) {
      return ToolResult.failure(
          "paths is empty (give the Java files to check, relative to the workspace)");
    }
    List<String> refs;
    try {
      refs = ruleRefs(a.rules() == null ? DEFAULT_RULES : a.rules());
    } catch (IllegalArgumentException e) {
      return ToolResult.failure(e.getMessage());
    }
    WorkspacePaths ws = WorkspacePaths.of(ctx.workspace());
    Set<Path> files = new TreeSet<>();
    for (String raw : a.paths()) {
      Path p;
      try {
        p = ws.resolveForRead(raw);
      } catch (WorkspacePaths.RefusedPathException e) {
        return ToolResult.failure(e.getMessage());
      }
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(
                  f ->
                      f.toString().endsWith(".java")
                          && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
              .forEach(files::add);
        }
      } else if (Files.isRegularFile(p)) {
        if (!p.toString().endsWith(".java")) {
          return ToolResult.failure(
              "path '"
                  + WorkspacePaths.show(raw)
                  + "' is not a .java file (java.check analyses Java sources)");
        }
        files.add(p);
      } else {
        return ToolResult.failure(
            "path '" + WorkspacePaths.show(raw) + "': no such file or directory");
      }
      if (files.size() > MAX_FILES) {
        return ToolResult.failure(
            "paths name more than "
                + MAX_FILES
                + " Java files (check fewer files at a time, for example the ones you changed)");
      }
    }
    PMDConfiguration config = new PMDConfiguration();
    config.setThreads(
        0); // in the calling thread: no pool to leave behind, cancellation by interrupt
    config.setIgnoreIncrementalAnalysis(true); // no analysis cache: the files are few
    config.setMinimumPriority(RulePriority.LOW);
    ArrayNode findings = NODES.arrayNode();
    ArrayNode errors = NODES.arrayNode();
    int analysed;
    try (PmdAnalysis pmd = PmdAnalysis.create(config)) {
      RuleSet loaded = RULE_SETS.get(refs);
      if (loaded == null) {
        loaded =
            pmd.newRuleSetLoader()
                .warnDeprecated(false)
                .loadFromString("agentrt-java-check.xml", ruleSetXml(refs));
        if (RULE_SETS.size() < MAX_CACHED_RULE_SETS) RULE_SETS.putIfAbsent(refs, loaded);
      }
      pmd.addRuleSet(
          RuleSet.copy(loaded)); // rules may keep state while they run: each call its own
      for (Path f : files) pmd.files().addFile(f);
      analysed = files.size();
      Report report = pmd.performAnalysisAndCollectReport();
      List<RuleViolation> vs = new ArrayList<>(report.getViolations());
      vs.sort(
          Comparator.comparing((RuleViolation v) -> v.getFileId().getAbsolutePath())
              .thenComparingInt(RuleViolation::getBeginLine)
              .thenComparing(v -> v.getRule().getName()));
      for (RuleViolation v : vs) {
        Rule r = v.getRule();
        ObjectNode o = findings.addObject();
        o.put("severity", severity(r.getPriority()));
        o.put("file", ws.relative(Path.of(v.getFileId().getAbsolutePath())));
        o.put("line", v.getBeginLine());
        o.put("rule", r.getName());
        o.put("message", v.getDescription());
        o.put("suggestion", suggestion(r));
      }
      for (Report.ProcessingError e : report.getProcessingErrors()) {
        ObjectNode o = errors.addObject();
        o.put("file", ws.relative(Path.of(e.getFileId().getAbsolutePath())));
        o.put("message", firstLine(e.getMsg()));
      }
      for (Report.ConfigurationError e : report.getConfigurationErrors()) {
        ObjectNode o = errors.addObject();
        o.put("rule", e.rule().getName());
        o.put("message", e.issue());
      }
    }
    ObjectNode result = NODES.objectNode();
    result.put("files_analysed", analysed);
    result.set("findings", findings);
    if (!errors.isEmpty()) result.set("errors", errors);
    return ToolResult.success(result);
  }

  private static String severity(RulePriority p) {
    switch (p) {
      case HIGH:
      case MEDIUM_HIGH:
        return "error";
      case MEDIUM:
        return "warning";
      default:
        return "info";
    }
  }

  /** The first sentence of the rule's description and where it is documented. */
  static String suggestion(Rule r) {
    String d = r.getDescription() == null ? "" : r.getDescription().strip().replaceAll("\\s+", " ");
    int dot = d.indexOf(". ");
    if (dot > 0) d = d.substring(0, dot + 1);
    String url = r.getExternalInfoUrl();
    if (url == null || url.isBlank()) return d;
    return d.isEmpty() ? url : d + " (" + url + ")";
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The PMD references of {@code rules}, each checked against PMD's Java categories. */
  static List<String> ruleRefs(List<String> rules) {
    if (rules.isEmpty())
      throw new IllegalArgumentException("rules is empty (omit it for the default rules)");
    Set<String> refs = new LinkedHashSet<>();
    for (String raw : rules) {
      Matcher m = RULE_REF.matcher(raw.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "rule '"
                + raw
                + "' is not a PMD rule reference (write category/Rule, for example errorprone/EmptyCatchBlock)");
      }
      String category = m.group(1);
      if (!CATEGORIES.contains(category)) {
        throw new IllegalArgumentException(
            "rule '"
                + raw
                + "': no PMD Java category '"
                + category
                + "'"
                + hint(category, CATEGORIES, "categories"));
      }
      String name = m.group(2);
      if (name != null && !rulesOf(category).contains(name)) {
        throw new IllegalArgumentException(
            "rule '"
                + raw
                + "': category "
                + category
                + " has no rule '"
                + name
                + "'"
                + hint(name, rulesOf(category), null));
      }
      refs.add("category/java/" + category + ".xml" + (name == null ? "" : "/" + name));
    }
    return List.copyOf(refs);
  }

  private static String hint(
      String wrong, java.util.Collection<String> known, @Nullable String what) {
    String h = Suggestions.didYouMean(wrong, known);
    if (!h.isEmpty() || what == null) return h;
    return " (" + what + ": " + String.join(", ", known) + ")";
  }

  private static Set<String> rulesOf(String category) {
    return RULES_OF.computeIfAbsent(
        category,
        c -> {
          try (InputStream in =
              PmdAnalysis.class
                  .getClassLoader()
                  .getResourceAsStream("category/java/" + c + ".xml")) {
            if (in == null) return Set.of();
            Matcher m = RULE_NAME.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> names = new TreeSet<>();
            while (m.find()) names.add(m.group(1));
            return names;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static String ruleSetXml(List<String> refs) {
    StringBuilder b =
        new StringBuilder(
            "<?xml version=\"1.0\"?>\n<ruleset name=\"agentrt java.check\" xmlns=\"http://pmd.sourceforge.net/ruleset/2.0.0\">\n"
                + "<description>java.check</description>\n");
    for (String r : refs) b.append("<rule ref=\"").append(r).append("\"/>\n");
    return b.append("</ruleset>\n").toString();
  }
}
