// A tiny test runner for the tests.run fixture: runs two checks of CalculatorTest, one of which
// fails, and writes a JUnit XML report the way Surefire does. Run with: java RunTests.java
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

public class RunTests {
  static int add(int a, int b) {
    return a + b;
  }

  static int divide(int a, int b) {
    return a / b + 1; // the bug the failing test finds
  }

  static void check(int expected, int actual) {
    if (expected != actual) throw new AssertionError("expected: <" + expected + "> but was: <" + actual + ">");
  }

  public static void main(String[] args) throws Exception {
    System.out.println("environment: " + new TreeSet<>(System.getenv().keySet()));
    StringBuilder cases = new StringBuilder();
    int failures = 0;
    String[] names = {"add", "divide"};
    for (String name : names) {
      try {
        if (name.equals("add")) check(4, add(2, 2));
        else check(2, divide(4, 2));
        cases.append("  <testcase name=\"").append(name).append("\" classname=\"RunTests\" time=\"0.001\"/>\n");
      } catch (AssertionError e) {
        failures++;
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        cases.append("  <testcase name=\"").append(name).append("\" classname=\"RunTests\" time=\"0.001\">\n")
            .append("    <failure message=\"").append(e.getMessage().replace("<", "&lt;").replace(">", "&gt;"))
            .append("\" type=\"").append(e.getClass().getName()).append("\"><![CDATA[").append(trace)
            .append("]]></failure>\n  </testcase>\n");
      }
    }
    Path dir = Files.createDirectories(Path.of("target", "surefire-reports"));
    Files.writeString(dir.resolve("TEST-RunTests.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<testsuite name=\"RunTests\" tests=\"2\" failures=\"" + failures + "\" errors=\"0\" skipped=\"0\">\n"
        + cases + "</testsuite>\n");
    System.out.println("Tests run: 2, Failures: " + failures);
    System.exit(failures == 0 ? 0 : 1);
  }
}
