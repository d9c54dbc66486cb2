package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sections of config.yml as typed records, and configuration errors located at their key. */
class ConfigSectionsTest {
  static final String WF =
      """
      id: x
      nodes:
        - {id: start, role: start}
        - {id: done, role: exit}
      edges:
        - {from: start, to: done}
      """;

  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir).workflow(WF);
  }

  @Test
  void load_memorySection_bindsEveryScopeToTypedRecords() {
    fx.config(
        """
        memory:
          task:    {backend: sqlite, retention: {max_items: 1000}}
          project: {backend: sqlite, retention: {max_items: 5000, max_age: 90d}}
          global:  {backend: jsonl, path: var/agentrt/memory, retention: {max_items: 10000}}
        """);

    MemorySpec m = fx.load().config().memory();

    assertThat(m.task())
        .isEqualTo(
            new MemorySpec.ScopeSpec("sqlite", null, new MemorySpec.RetentionSpec(1000L, null)));
    assertThat(m.project().retention().maxAge()).isEqualTo(Duration.ofDays(90));
    assertThat(m.global())
        .isEqualTo(
            new MemorySpec.ScopeSpec(
                "jsonl", "var/agentrt/memory", new MemorySpec.RetentionSpec(10000L, null)));
  }

  record Case(String config, String needle, String message) {}

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "memory backend not a name",
                new Case(
                    "memory:\n  task: {backend: My SQL}\n",
                    "My SQL}",
                    "memory.task.backend: must be a backend name such as 'sqlite' or 'jsonl'"
                        + " (found 'My SQL')"))),
        Arguments.of(
            Named.of(
                "memory max_items zero",
                new Case(
                    "memory:\n  project: {retention: {max_items: 0}}\n",
                    "0}",
                    "memory.project.retention.max_items: must be greater than 0 (found '0')"))),
        Arguments.of(
            Named.of(
                "memory max_age not a duration",
                new Case(
                    "memory:\n  global: {retention: {max_age: soon}}\n",
                    "soon",
                    "memory.global.retention.max_age: 'soon' is not a duration ("
                        + Durations.SYNTAX
                        + ")"))),
        Arguments.of(
            Named.of(
                "memory max_age zero",
                new Case(
                    "memory:\n  global: {retention: {max_age: 0s}}\n",
                    "0s",
                    "memory.global.retention.max_age: must be a positive duration, was PT0S ("
                        + Durations.SYNTAX
                        + ")"))),
        Arguments.of(
            Named.of(
                "memory unknown key",
                new Case(
                    "memory:\n  task:\n    retension: {max_items: 3}\n",
                    "retension",
                    "memory.task: unknown key 'retension' (did you mean 'retention'?)"))),
        Arguments.of(
            Named.of(
                "memory unknown scope",
                new Case(
                    "memory:\n  projet: {backend: sqlite}\n",
                    "projet",
                    "memory: unknown key 'projet' (did you mean 'project'?)"))),
        Arguments.of(
            Named.of(
                "nested unknown key",
                new Case(
                    "checkpoint:\n  pth: x.db\n",
                    "pth",
                    "checkpoint: unknown key 'pth' (did you mean 'path'?)"))),
        Arguments.of(
            Named.of(
                "lease_ttl out of range",
                new Case(
                    "checkpoint: {lease_ttl: 5ms}\n",
                    "5ms",
                    "checkpoint.lease_ttl: must be between 10ms and 1 day, was PT0.005S"))),
        Arguments.of(
            Named.of(
                "fallback to an unknown model",
                new Case(
                    "models:\n  main: {provider: scripted, fallback: [bakup]}\n"
                        + "  backup: {provider: scripted}\n",
                    "bakup",
                    "models.main.fallback[0]: no model 'bakup' (did you mean 'backup'?)"))),
        Arguments.of(
            Named.of(
                "fallback to the model itself",
                new Case(
                    "models:\n  main: {provider: scripted, fallback: [backup]}\n"
                        + "  backup: {provider: scripted}\n  self: {provider: scripted, fallback: [self]}\n",
                    "self]}",
                    "models.self.fallback[0]: 'self' is the model itself (name another entry of"
                        + " models:)"))),
        Arguments.of(
            Named.of(
                "fallback loop",
                new Case(
                    "models:\n  a: {provider: scripted, fallback: [b]}\n"
                        + "  b: {provider: scripted, fallback: [c]}\n"
                        + "  c: {provider: scripted, fallback: [a]}\n",
                    "a]",
                    "models.c.fallback[0]: 'a' leads back to itself (a -> b -> c -> a); fallback"
                        + " chains must not loop (remove one of these fallbacks)"))),
        Arguments.of(
            Named.of(
                "fallback listed twice",
                new Case(
                    "models:\n  a: {provider: scripted, fallback: [b, b]}\n"
                        + "  b: {provider: scripted}\n",
                    "b]",
                    "models.a.fallback[1]: 'b' is listed twice (list each fallback once)"))),
        Arguments.of(
            Named.of(
                "circuit breaker failure rate out of range",
                new Case(
                    "models:\n  a:\n    provider: scripted\n    circuit_breaker: {failure_rate: 150}\n",
                    "150",
                    "models.a.circuit_breaker.failure_rate: must be less than or equal to 100 (found '150')"))),
        Arguments.of(
            Named.of(
                "circuit breaker open_for zero",
                new Case(
                    "models:\n  a:\n    provider: scripted\n    circuit_breaker: {open_for: 0s}\n",
                    "0s",
                    "models.a.circuit_breaker.open_for: must be a positive duration, was PT0S ("
                        + Durations.SYNTAX
                        + ")"))),
        Arguments.of(
            Named.of(
                "rate limit misspelt",
                new Case(
                    "models:\n  a:\n    provider: scripted\n    rate_limit: {call: 5}\n",
                    "call:",
                    "models.a.rate_limit: unknown key 'call' (did you mean 'calls'?)"))),
        Arguments.of(
            Named.of(
                "rate limit period zero",
                new Case(
                    "models:\n  a:\n    provider: scripted\n    rate_limit: {calls: 5, per: 0s}\n",
                    "0s",
                    "models.a.rate_limit.per: must be a positive duration, was PT0S ("
                        + Durations.SYNTAX
                        + ")"))),
        Arguments.of(
            Named.of(
                "redact not a regular expression",
                new Case(
                    "telemetry:\n  redact: ['ok', 'ghp_[a-z']\n",
                    "'ghp_",
                    "telemetry.redact[1]: not a regular expression: Unclosed character class at index 7"
                        + " (escape special characters with a backslash)"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void load_badConfig_reportsTheKeyAtItsLineAndColumn(Case c) {
    fx.config(c.config());

    assertThat(fx.problems())
        .containsExactly("config.yml:" + at(c.config(), c.needle()) + ": " + c.message());
  }

  @Test
  void load_fallbackChainsAndGuards_bindAndValidate() {
    fx.config(
        """
        models:
          main:
            provider: scripted
            fallback: [backup, spare]
            circuit_breaker: {failure_rate: 40, window: 10, open_for: 1m}
            rate_limit: {calls: 500, per: 1m}
          backup: {provider: scripted, fallback: [spare]}
          spare: {provider: scripted}
        """);

    ModelSpec main = fx.load().config().models().get("main");
    assertThat(main.fallback()).containsExactly("backup", "spare");
    assertThat(main.circuitBreaker())
        .isEqualTo(new ModelSpec.CircuitBreakerSpec(40, 10, Duration.ofMinutes(1)));
    assertThat(main.rateLimit()).isEqualTo(new ModelSpec.RateLimitSpec(500, Duration.ofMinutes(1)));
  }

  @Test
  void load_unknownKeyInAgentAfterAList_isReportedAtTheKeyWithoutAnIndex() {
    String agent =
        """
        name: a
        tools:
          - fs.read
          - fs.write
          - http
        budget:
          max_hops: 3
          max_hopz: 4
        """;
    fx.agent("a", agent);

    assertThat(fx.problems())
        .containsExactly(
            "agents/a.yml:"
                + at(agent, "max_hopz")
                + ": budget: unknown key 'max_hopz' (did you mean 'max_hops'?)");
  }

  @Test
  void load_unknownTopLevelKeyInAgent_isReportedAtTheKey() {
    String agent = "name: a\ntools: [fs.read, fs.write, http]\ntemprature: 0\n";
    fx.agent("a", agent);

    assertThat(fx.problems())
        .containsExactly(
            "agents/a.yml:"
                + at(agent, "temprature")
                + ": unknown key 'temprature' (did you mean 'temperature'?)");
  }

  @Test
  void load_yamlSyntaxErrorInConfig_reportsOnlyTheSyntaxNotTheAgentsModel() {
    fx.config("models: [\n  m: {provider: scripted}\n").agent("a", "name: a\nmodel: m\n");

    assertThat(fx.problems())
        .singleElement()
        .asString()
        .startsWith("config.yml:3:1: invalid YAML: ")
        .doesNotContain("not defined");
  }
}
