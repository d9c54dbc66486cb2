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
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Reads JUnit XML reports (the Surefire/Failsafe/Ant format) into totals and failures. */
public final class JUnitReports {
  private static final Pattern FRAME =
      Pattern.compile("at ([\\w$.]+)\\.([\\w$<>]+)\\(([^():]+):(\\d+)\\)");

  private JUnitReports() {}

  /** One failed or erroneous test case. */
  public record Failure(
      String className,
      String name,
      String kind,
      @Nullable String type,
      @Nullable String message,
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

  /**
   * Reports larger than this are not parsed (a DOM of them could take more memory than the run
   * has).
   */
  static final long MAX_REPORT_BYTES = 64L * 1024 * 1024;

  /**
   * Adds the test cases of one report file. Malformed files are counted as errors of the report.
   */
  public static void read(Path file, Totals into) throws IOException {
    read(file, file.getFileName().toString(), into);
  }

  /**
   * Adds the test cases of one report file, named {@code shown} in messages. A report that cannot
   * be read (not XML, a DOCTYPE, too large) counts as one erroneous test whose message says why;
   * nothing is printed (the JDK's parser would print {@code [Fatal Error]} lines on stderr).
   */
  public static void read(Path file, String shown, Totals into) throws IOException {
    if (Files.size(file) > MAX_REPORT_BYTES) {
      malformed(
          shown,
          "the report is larger than " + (MAX_REPORT_BYTES >> 20) + " MiB and was not read",
          into);
      return;
    }
    Document doc;
    try (InputStream in = Files.newInputStream(file)) {
      doc = builder().parse(in);
    } catch (SAXParseException e) {
      malformed(
          shown,
          "the report is not valid XML: "
              + e.getMessage()
              + " ("
              + shown
              + ":"
              + e.getLineNumber()
              + ":"
              + e.getColumnNumber()
              + ")",
          into);
      return;
    } catch (SAXException e) {
      malformed(shown, "the report is not valid XML: " + e.getMessage(), into);
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
        into.failures.add(
            new Failure(
                cls,
                name,
                failure != null ? "failure" : "error",
                type,
                msg,
                location(cls, f.getTextContent())));
      } else if (child(tc, "skipped") != null) {
        into.skipped++;
      }
    }
  }

  private static void malformed(String shown, String message, Totals into) {
    into.reports++;
    into.errors++;
    into.tests++;
    into.failures.add(new Failure(shown, "(report)", "error", "MalformedReport", message, null));
  }

  /**
   * {@code File.java:42} of the first stack frame in the test class (or else the first frame with a
   * line).
   */
  static @Nullable String location(String className, @Nullable String trace) {
    if (trace == null) return null;
    String first = null;
    Matcher m = FRAME.matcher(trace);
    while (m.find()) {
      String loc = m.group(3) + ":" + m.group(4);
      if (m.group(1).equals(className) || m.group(1).startsWith(className + "$")) return loc;
      if (first == null
          && !m.group(1).startsWith("org.junit.")
          && !m.group(1).startsWith("java.")
          && !m.group(1).startsWith("jdk.")
          && !m.group(1).startsWith("org.assertj.")
          && !m.group(1).startsWith("sun.")) {
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

  /** Turns every problem into an exception, so the parser prints nothing on stderr. */
  private static final ErrorHandler QUIET =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
          // warnings do not make a report unreadable
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };

  private static DocumentBuilder builder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(QUIET);
      return b;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the XML parser cannot be configured securely", e);
    }
  }
}
