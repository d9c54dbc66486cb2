package dev.agentrt.tools.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Reads JUnit XML reports (the Surefire/Failsafe/Ant format) into totals and failures. */
public final class JUnitReports {
  private static final Pattern FRAME = Pattern.compile("at ([\\w$.]+)\\.([\\w$<>]+)\\(([^():]+):(\\d+)\\)");

  private JUnitReports() {}

  /** One failed or erroneous test case. */
  public record Failure(String className, String name, String kind, @Nullable String type, @Nullable String message,
      @Nullable String location) {}

  /** The totals of one or more reports. */
  public static final class Totals {
    public int tests;
    public int failed;
    public int errors;
    public int skipped;
    public int reports;
    public final List<Failure> failures = new ArrayList<>();

    public int passed() {
      return tests - failed - errors - skipped;
    }
  }

  /** Adds the test cases of one report file. Malformed files are counted as errors of the report. */
  public static void read(Path file, Totals into) throws IOException {
    Document doc;
    try (InputStream in = Files.newInputStream(file)) {
      doc = builder().parse(in);
    } catch (SAXException e) {
      into.reports++;
      into.errors++;
      into.tests++;
      into.failures.add(new Failure(file.getFileName().toString(), "(report)", "error", "MalformedReport",
          "the report is not valid XML: " + e.getMessage(), null));
      return;
    }
    into.reports++;
    NodeList cases = doc.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element tc = (Element) cases.item(i);
      into.tests++;
      String cls = tc.getAttribute("classname");
      String name = tc.getAttribute("name");
      Element failure = child(tc, "failure");
      Element error = child(tc, "error");
      if (failure != null || error != null) {
        Element f = failure != null ? failure : error;
        if (failure != null) into.failed++;
        else into.errors++;
        String msg = f.hasAttribute("message") ? f.getAttribute("message") : null;
        String type = f.hasAttribute("type") ? f.getAttribute("type") : null;
        into.failures.add(new Failure(cls, name, failure != null ? "failure" : "error", type, msg,
            location(cls, f.getTextContent())));
      } else if (child(tc, "skipped") != null) {
        into.skipped++;
      }
    }
  }

  /** {@code File.java:42} of the first stack frame in the test class (or else the first frame with a line). */
  static @Nullable String location(String className, @Nullable String trace) {
    if (trace == null) return null;
    String first = null;
    Matcher m = FRAME.matcher(trace);
    while (m.find()) {
      String loc = m.group(3) + ":" + m.group(4);
      if (m.group(1).equals(className) || m.group(1).startsWith(className + "$")) return loc;
      if (first == null && !m.group(1).startsWith("org.junit.") && !m.group(1).startsWith("java.")
          && !m.group(1).startsWith("jdk.") && !m.group(1).startsWith("org.assertj.") && !m.group(1).startsWith("sun.")) {
        first = loc;
      }
    }
    return first;
  }

  private static @Nullable Element child(Element e, String tag) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(tag)) return c;
    }
    return null;
  }

  private static DocumentBuilder builder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the XML parser cannot be configured securely", e);
    }
  }
}
