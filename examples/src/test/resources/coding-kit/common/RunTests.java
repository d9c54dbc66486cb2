// The project's test runner, no build tool and no network: compiles src/main/java and
// src/test/java with the JDK's compiler, runs every @demo.Test method of the *Test classes and
// writes a Surefire-style JUnit XML report per class to target/surefire-reports.
// Run with: java RunTests.java   (exit code 1 when a test fails)
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

public class RunTests {
  public static void main(String[] args) throws Exception {
    Path classes = Files.createDirectories(Path.of("target", "test-classes"));
    List<String> javac = new ArrayList<>(List.of("-d", classes.toString()));
    List<String> testClasses = new ArrayList<>();
    for (String root : new String[] {"src/main/java", "src/test/java"}) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          javac.add(f.toString());
          String name = Path.of(root).relativize(f).toString().replace('/', '.').replaceAll("\\.java$", "");
          if (root.startsWith("src/test") && name.endsWith("Test")) testClasses.add(name);
        }
      }
    }
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new)) != 0) {
      System.out.println("compilation failed");
      System.exit(2);
    }
    Path reports = Files.createDirectories(Path.of("target", "surefire-reports"));
    int total = 0;
    int failed = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()})) {
      @SuppressWarnings("unchecked")
      Class<? extends java.lang.annotation.Annotation> test =
          (Class<? extends java.lang.annotation.Annotation>) loader.loadClass("demo.Test");
      for (String className : testClasses) {
        Class<?> c = loader.loadClass(className);
        StringBuilder cases = new StringBuilder();
        int tests = 0;
        int failures = 0;
        Method[] methods = c.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
          if (!m.isAnnotationPresent(test)) continue;
          tests++;
          cases.append("  <testcase name=\"").append(m.getName()).append("\" classname=\"").append(className)
              .append("\" time=\"0.001\"");
          try {
            m.invoke(c.getDeclaredConstructor().newInstance());
            cases.append("/>\n");
          } catch (InvocationTargetException e) {
            failures++;
            Throwable t = e.getCause();
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            cases.append(">\n    <failure message=\"").append(escape(String.valueOf(t.getMessage()))).append("\" type=\"")
                .append(t.getClass().getName()).append("\"><![CDATA[").append(trace).append("]]></failure>\n  </testcase>\n");
            System.out.println("FAILED " + className + "." + m.getName() + ": " + t.getMessage());
          }
        }
        Files.writeString(reports.resolve("TEST-" + className + ".xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuite name=\"" + className + "\" tests=\"" + tests + "\" failures=\"" + failures
            + "\" errors=\"0\" skipped=\"0\">\n" + cases + "</testsuite>\n");
        total += tests;
        failed += failures;
      }
    }
    System.out.println("Tests run: " + total + ", Failures: " + failed);
    System.exit(failed == 0 ? 0 : 1);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
