package dev.agentrt.inspector.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.RunHandle;
import dev.agentrt.core.RunResult;
import dev.agentrt.core.RunStatus;
import dev.agentrt.inspector.AgentInspector;
import dev.agentrt.inspector.InspectorFixture;
import dev.agentrt.testkit.AgentTestRuntime;
import dev.agentrt.testkit.TestStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The inspector's page in a real headless Chromium: the runs list, a run's timeline, step details
 * and calls, the graph, live updates of a running run, the keyboard, the registry and shipping
 * mode. One runtime, one inspector and one browser for the class. Skipped when {@code
 * /usr/bin/chromium} or {@code /usr/bin/chromedriver} is absent (Debian: {@code apt-get install
 * chromium chromium-driver}); the driver is the system's, so Selenium Manager downloads nothing.
 */
class InspectorBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "inspector-screenshots");
  static final Duration WAIT = Duration.ofSeconds(30);

  /** A workflow whose function node holds until the test releases it. */
  static final String LIVE_WORKFLOW =
      """
      id: live
      description: Holds in a function until the test lets it go, then finishes.
      nodes:
        - {id: start, role: start}
        - {id: first, kind: transform, template: {ready: true}}
        - {id: hold, kind: function, function: hold}
        - {id: after, kind: transform, template: {released: "{{hold.released}}"}}
        - {id: done, role: exit}
      edges:
        - {from: start, to: first}
        - {from: first, to: hold}
        - {from: hold, to: after}
        - {from: after, to: done}
      """;

  /** Two branches (one retried once), a split of three items, then an interrupt. */
  static final String FORKS_WORKFLOW =
      """
      id: forks
      description: Branches, a split and an interrupt.
      nodes:
        - {id: start, role: start}
        - {id: fanout, kind: transform, role: branch, template: {items: [1, 2, 3]}}
        - {id: left, kind: function, function: flaky, retry: {max_attempts: 2, backoff: 1ms}}
        - {id: right, kind: transform, template: {r: 1}}
        - {id: join, role: merge}
        - {id: each, kind: transform, role: split, items: fanout.items, template: {x: 1}}
        - {id: render, kind: transform, template: {item: "{{$item}}"}}
        - {id: gather, role: merge}
        - {id: ask, kind: transform, template: {q: 1}, interrupt: before}
        - {id: done, role: exit}
      edges:
        - {from: start, to: fanout}
        - {from: fanout, to: left}
        - {from: fanout, to: right}
        - {from: left, to: join}
        - {from: right, to: join}
        - {from: join, to: each}
        - {from: each, to: render}
        - {from: render, to: gather}
        - {from: gather, to: ask}
        - {from: ask, to: done}
      """;

  static final AtomicInteger flakyCalls = new AtomicInteger();
  static final CountDownLatch held = new CountDownLatch(1);
  static final CountDownLatch release = new CountDownLatch(1);

  @TempDir static Path tmp;
  static AgentRuntime runtime;
  static AgentInspector inspector;
  static ChromeDriverService service;
  static ChromeDriver driver;
  static String featureRun;
  static String missing;

  @BeforeAll
  static void start() throws IOException {
    missing = missingBinary();
    if (missing != null) return; // each test is skipped, saying why (requireBrowser)
    Files.createDirectories(SHOTS);

    runtime = runtime(config());
    featureRun = InspectorFixture.featureAdd(runtime).runId();
    inspector = AgentInspector.builder(runtime).port(0).mode(AgentInspector.Mode.DEBUG).start();

    // the system's driver (on a free port): Selenium Manager is not asked for one
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    service = ChromeDriverService.createDefaultService();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1280,800",
        "--user-data-dir="
            + Path.of("target", "chromium-profile-" + UUID.randomUUID()).toAbsolutePath());
    driver = new ChromeDriver(service, options);
    // a viewport of 1280×800 (the window's size includes the browser's frame)
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Why the browser tests cannot run here, or null. */
  static String missingBinary() {
    if (!Files.isExecutable(CHROMIUM))
      return "browser test skipped: no " + CHROMIUM + " (apt-get install chromium chromium-driver)";
    if (!Files.isExecutable(CHROMEDRIVER))
      return "browser test skipped: no " + CHROMEDRIVER + " (apt-get install chromium-driver)";
    return null;
  }

  @BeforeEach
  void requireBrowser() {
    assumeTrue(missing == null, missing);
  }

  /**
   * A copy of the repository's .agent/ with the live workflow, without triage (needs embeddings).
   */
  static Path config() throws IOException {
    Path config = tmp.resolve("agent");
    try (Stream<Path> files = Files.walk(InspectorFixture.AGENT)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = config.resolve(InspectorFixture.AGENT.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    Files.delete(config.resolve("workflows/triage.yml"));
    Files.writeString(config.resolve("workflows/live.yml"), LIVE_WORKFLOW);
    Files.writeString(config.resolve("workflows/forks.yml"), FORKS_WORKFLOW);
    return config;
  }

  static AgentRuntime runtime(Path config) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return AgentTestRuntime.builder(config, tmp.resolve("runtime"))
        .store(TestStore.SQLITE)
        .workspace(InspectorFixture.PROJECT)
        .clock(Clock.systemUTC()) // the timeline shows real durations
        .editConfig(
            c ->
                ((ObjectNode) c.path("policy").path("tools").path("tests.run"))
                    .putArray("command")
                    .add(java)
                    .add("RunTests.java"))
        .customize(
            b ->
                b.function(
                        "hold",
                        (input, context) -> {
                          held.countDown();
                          if (!release.await(60, TimeUnit.SECONDS))
                            throw new IllegalStateException("the test did not release the run");
                          return JsonNodeFactory.instance.objectNode().put("released", true);
                        })
                    .function(
                        "flaky",
                        (input, context) -> {
                          if (flakyCalls.incrementAndGet() == 1)
                            throw new IllegalStateException("the first attempt fails");
                          return JsonNodeFactory.instance.objectNode().put("ok", true);
                        }))
        .build();
  }

  @AfterAll
  static void stop() {
    release.countDown();
    if (driver != null) driver.quit();
    if (service != null) service.stop();
    if (inspector != null) inspector.close();
    if (runtime != null) runtime.close();
  }

  // ---------------------------------------------------------------- helpers

  static void open(String fragment) {
    driver.get(inspector.uri() + fragment);
  }

  /** A wait that tries again when the page re-rendered what it looked at (a live update). */
  static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  static WebElement await(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  static void until(Function<WebDriver, Boolean> condition) {
    waiting().until(condition);
  }

  static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  static By runRow(String runId) {
    return By.cssSelector("[data-testid='run-row'][data-run-id='" + runId + "']");
  }

  static By step(String key) {
    return By.cssSelector("[data-testid='step'][data-step-key='" + key + "']");
  }

  static By detailOf(String key) {
    return By.cssSelector("[data-testid='step-detail'][data-step-key='" + key + "']");
  }

  static List<String> texts(By by) {
    return driver.findElements(by).stream().map(WebElement::getText).toList();
  }

  static void screenshot(String name) {
    try {
      Files.write(SHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static WebElement focused() {
    return driver.switchTo().activeElement();
  }

  /** Presses Tab until {@code target} has the focus (at most {@code max} times). */
  static void tabTo(By target, int max) {
    tab(target, max, Keys.TAB);
  }

  /** Presses Shift+Tab until {@code target} has the focus (at most {@code max} times). */
  static void shiftTabTo(By target, int max) {
    tab(target, max, Keys.chord(Keys.SHIFT, Keys.TAB));
  }

  private static void tab(By target, int max, CharSequence keys) {
    WebElement wanted = await(target);
    for (int i = 0; i < max && !wanted.equals(focused()); i++) {
      new Actions(driver).sendKeys(keys).perform();
    }
    assertThat(focused()).as("focus after pressing %s up to %d times", keys, max).isEqualTo(wanted);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void runsPage_listsTheFeatureAddRun_andFiltersIt() {
    open("#/");
    WebElement row = await(runRow(featureRun));
    assertThat(row.getText()).contains("feature-add", "COMPLETED");
    assertThat(row.findElement(testId("run-link")).getAttribute("href"))
        .endsWith("#/runs/" + featureRun);
    assertThat(driver.findElement(testId("mode")).getText()).contains("debug");
    screenshot("runs.png");

    new Select(driver.findElement(By.id("filter-status"))).selectByValue("FAILED");
    await(testId("no-runs"));
    assertThat(driver.findElements(testId("run-row"))).isEmpty();
    assertThat(driver.getCurrentUrl()).endsWith("#/?status=FAILED");

    new Select(driver.findElement(By.id("filter-status"))).selectByValue("");
    new Select(driver.findElement(By.id("filter-workflow"))).selectByValue("feature-add");
    await(runRow(featureRun));
    until(
        d ->
            d.findElements(testId("run-row")).stream()
                .allMatch(r -> "feature-add".equals(r.getAttribute("data-workflow"))));
  }

  @Test
  void runPage_showsTheReviewLoop_theToolCalls_andTheGraph() {
    open("#/");
    await(runRow(featureRun)).findElement(testId("run-link")).click();
    await(step("tests#0"));
    assertThat(driver.getCurrentUrl()).contains("#/runs/" + featureRun);

    assertThat(texts(By.cssSelector("[data-testid='step'] [data-testid='step-label']")))
        .containsExactly(
            "start",
            "implement",
            "review",
            "implement · revise 1 of 2",
            "review · revise 1 of 2",
            "tests",
            "done");
    assertThat(driver.findElements(testId("lane"))).hasSize(1);
    assertThat(driver.findElement(testId("run-header")).getText()).contains("COMPLETED");
    assertThat(texts(testId("budget-row"))).anyMatch(t -> t.contains("7 of 20"));

    // implement#0: fs.read and fs.write, the write with its effect and idempotency key
    driver.findElement(step("implement#0")).click();
    WebElement detail = await(detailOf("implement#0"));
    assertThat(callNames(detail))
        .containsExactly("engineer", "fs.read", "engineer", "fs.write", "engineer");
    // the intent recorded before the write is folded into it, not a call of its own
    assertThat(detail.findElements(By.cssSelector("[data-call-kind='intent']"))).isEmpty();
    WebElement write =
        detail.findElement(
            By.cssSelector(
                "[data-testid='call'][data-call-kind='tool'][data-call-name='fs.write']"));
    write.findElement(By.tagName("summary")).click();
    assertThat(write.findElement(testId("call-effect")).getText()).isEqualTo("non_idempotent");
    assertThat(write.findElement(testId("call-idempotency-key")).getText())
        .isEqualTo(featureRun + ":implement#0:3");
    assertThat(write.getText()).contains("src/main/java/demo/Calculator.java", "bytes_written");
    WebElement llm =
        detail.findElement(By.cssSelector("[data-testid='call'][data-call-kind='llm']"));
    llm.findElement(By.tagName("summary")).click();
    assertThat(llm.getText()).contains("SYSTEM", "USER", "Tool calls requested", "fs.read");
    driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", write);
    screenshot("step-detail.png");

    // the review that asked for a revision: its decision
    driver.findElement(step("review#0")).click();
    assertThat(await(detailOf("review#0")).findElement(testId("decision-value")).getText())
        .isEqualTo("revise");

    // tests: the tests.run tool call
    driver.findElement(step("tests#0")).click();
    assertThat(callNames(await(detailOf("tests#0")))).containsExactly("tests.run");
    assertThat(driver.getCurrentUrl()).contains("step=5");

    WebElement svg = await(By.cssSelector("[data-testid='graph'] svg"));
    assertThat(svg.getText()).contains("implement", "review", "tests");
    driver.executeScript("window.scrollTo(0, 0)");
    screenshot("run-feature-add.png");
  }

  static List<String> callNames(WebElement detail) {
    return detail.findElements(testId("call")).stream()
        .map(c -> c.getAttribute("data-call-name"))
        .toList();
  }

  @Test
  void keyboard_tabToARun_enterOpensIt_andEnterOrSpaceOpensAStep() {
    open("#/");
    tabTo(By.cssSelector("[data-run-id='" + featureRun + "'] [data-testid='run-link']"), 30);
    new Actions(driver).sendKeys(Keys.ENTER).perform();
    await(step("review#1"));
    assertThat(driver.getCurrentUrl()).contains("#/runs/" + featureRun);

    tabTo(step("review#1"), 40);
    new Actions(driver).sendKeys(Keys.ENTER).perform();
    WebElement detail = await(detailOf("review#1"));
    assertThat(detail.findElement(testId("detail-label")).getText())
        .isEqualTo("review · revise 1 of 2");
    assertThat(focused()).isEqualTo(detail);

    shiftTabTo(step("tests#0"), 60); // the detail comes after the timeline
    new Actions(driver).sendKeys(Keys.SPACE).perform();
    assertThat(callNames(await(detailOf("tests#0")))).containsExactly("tests.run");
  }

  @Test
  void liveRun_appearsInTheList_andItsStepsAppearWhileItRuns() throws Exception {
    open("#/");
    await(runRow(featureRun));
    until(d -> "live".equals(d.findElement(testId("connection")).getAttribute("data-state")));
    RunHandle handle = runtime.start("live", Map.of());
    assertThat(held.await(30, TimeUnit.SECONDS)).as("the live run reached its hold step").isTrue();

    // the list learns of the run from the event stream
    By row = runRow(handle.runId());
    until(d -> "RUNNING".equals(d.findElement(row).getAttribute("data-status")));
    driver.findElement(row).findElement(testId("run-link")).click();
    await(step("first#0"));
    await(testId("live-indicator"));
    await(testId("step-running"));
    assertThat(driver.findElements(step("after#0"))).isEmpty();
    assertThat(driver.findElements(step("done#0"))).isEmpty();
    screenshot("live-run.png");

    release.countDown();
    await(step("after#0"));
    await(step("done#0"));
    until(d -> d.findElements(testId("live-indicator")).isEmpty());
    assertThat(driver.findElements(testId("step-running"))).isEmpty();
    assertThat(driver.findElement(testId("run-header")).getText()).contains("COMPLETED");
    RunResult result = handle.await(Duration.ofSeconds(30));
    assertThat(result.status()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  void forks_showLanes_aRetry_andAnInterruptThatResumesLive() {
    RunResult waiting = runtime.run("forks", Map.of());
    assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);

    open("#/runs/" + waiting.runId());
    await(step("ask#0"));
    assertThat(
            driver.findElements(testId("lane")).stream()
                .map(l -> l.getAttribute("data-lane-id"))
                .toList())
        .containsExactly(
            "", "fanout#0[left]/", "fanout#0[right]/", "each#0[0]/", "each#0[1]/", "each#0[2]/");
    WebElement left = driver.findElement(step("fanout#0[left]/left#0"));
    assertThat(left.findElement(testId("retry-badge")).getText()).isEqualTo("retried ×1");
    assertThat(driver.findElement(testId("run-reason")).getText()).contains("INTERRUPTED");
    assertThat(driver.findElement(step("ask#0")).getText()).contains("waiting (interrupt)");

    runtime.resume(waiting.runId(), Map.of("answer", "yes"));
    await(step("done#0"));
    until(d -> d.findElement(testId("run-header")).getText().contains("COMPLETED"));
    assertThat(
            driver.findElements(step("ask#0")).stream()
                .map(e -> e.getAttribute("data-status"))
                .toList())
        .containsExactly("SUSPENDED", "RESUMED", "COMPLETED");
  }

  @Test
  void registryPage_listsTheModels() {
    open("#/registry");
    await(testId("model-row"));
    assertThat(
            driver.findElements(testId("model-row")).stream()
                .map(r -> r.getAttribute("data-model"))
                .toList())
        .contains("engineer", "reviewer");
    assertThat(
            driver
                .findElement(By.cssSelector("[data-testid='model-row'][data-model='engineer']"))
                .getAttribute("data-reachable"))
        .isEqualTo("true");
    assertThat(driver.findElement(testId("telemetry-mode")).getText()).isEqualTo("debug");
    assertThat(texts(testId("tool-row"))).anyMatch(t -> t.startsWith("fs.read"));
    screenshot("registry.png");
  }

  @Test
  void apiTextIsShownAsText_neverAsMarkup() {
    String name = "<img src=x onerror=document.title='pwned'> & <b>bold</b>";
    String runId = runtime.run("hello", Map.of("name", name)).runId();
    open("#/runs/" + runId);
    driver.findElement(By.cssSelector("body")); // page loaded
    await(step("greet#0")).click();
    WebElement detail = await(detailOf("greet#0"));
    assertThat(detail.getText()).contains("Hello, " + name + "!");
    assertThat(driver.findElements(By.cssSelector("main img, main b"))).isEmpty();
    assertThat(driver.getTitle()).doesNotContain("pwned");
  }

  @Test
  void shippingMode_hidesContents_andSaysSo() {
    try (AgentInspector shipping =
        AgentInspector.builder(runtime).port(0).mode(AgentInspector.Mode.SHIPPING).start()) {
      driver.get(shipping.uri() + "#/runs/" + featureRun + "?step=1");
      WebElement detail = await(detailOf("implement#0"));
      assertThat(await(testId("mode")).getText()).contains("shipping");
      assertThat(detail.findElements(testId("hidden"))).isNotEmpty();
      assertThat(detail.getText()).doesNotContain("Calculator.max");
      assertThat(callNames(detail)).contains("fs.read", "fs.write");
      screenshot("shipping-mode.png");
    }
  }
}
