package dev.agentrt.core.manifest;

import static dev.agentrt.core.manifest.ManifestFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ${env:X}}, {@code ${env:X:-default}} and {@code ${file:path}}, and keeping credentials
 * secret.
 */
class ManifestVariablesTest {
  @TempDir Path dir;
  ManifestFixture fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixture(dir);
  }

  static String config(String apiKey, String baseUrl) {
    return """
        models:
          default:
            provider: openai
            api_key: API_KEY
            base_url: BASE_URL
        """
        .replace("API_KEY", apiKey)
        .replace("BASE_URL", baseUrl);
  }

  @Test
  void load_missingEnvironmentVariable_namesKeyAndSuggestsOptionalForm() {
    String c = config("${env:OPENAI_API_KEY}", "http://localhost");
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "${env")
                + ": models.default.api_key: environment"
                + " variable OPENAI_API_KEY is not set (export it, or use ${env:OPENAI_API_KEY:-} to make it optional)");
  }

  @Test
  void load_missingVariableWithDefault_usesDefault() {
    fx.config(config("k", "${env:OPENAI_BASE_URL:-http://localhost:8080}"));

    assertThat(fx.load().config().models().get("default").baseUrl())
        .isEqualTo("http://localhost:8080");
  }

  @Test
  void load_setVariableWithDefault_usesVariable() {
    fx.env("OPENAI_BASE_URL", "https://example.test")
        .config(config("k", "${env:OPENAI_BASE_URL:-http://localhost:8080}"));

    assertThat(fx.load().config().models().get("default").baseUrl())
        .isEqualTo("https://example.test");
  }

  @Test
  void load_fileReference_readsFileRelativeToConfigDirectory() {
    fx.file("secrets/key.txt", "sk-from-file\n")
        .config(config("${file:secrets/key.txt}", "http://localhost"));

    Manifests m = fx.load();

    assertThat(m.config().models().get("default").apiKey().reveal()).isEqualTo("sk-from-file");
    assertThat(m.redactor()).isEqualTo(Redactor.of(Set.of("sk-from-file")));
  }

  @Test
  void load_missingFileReference_namesKeyFileAndWhereItLooked() {
    String c = config("${file:secrets/nope.txt}", "http://localhost");
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "${file")
                + ": models.default.api_key: file"
                + " 'secrets/nope.txt' does not exist (looked for "
                + dir.resolve("secrets/nope.txt").toAbsolutePath().normalize()
                + ")");
  }

  @Test
  void load_apiKeyFromEnvironment_isResolvedSecretAndNeverShown() {
    fx.env("OPENAI_API_KEY", "sk-live-123")
        .config(config("${env:OPENAI_API_KEY}", "http://localhost"));

    Manifests m = fx.load();
    Secret key = m.config().models().get("default").apiKey();

    assertThat(key.reveal()).isEqualTo("sk-live-123");
    assertThat(m.redactor()).isEqualTo(Redactor.of(Set.of("sk-live-123")));
    assertThat(key.toString()).isEqualTo("Secret[****]");
    assertThat(m.config().toString()).doesNotContain("sk-live-123");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void load_fileReferenceToDevice_isRefusedWithoutReading() {
    String c = config("${file:/dev/zero}", "http://localhost");
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "${file")
                + ": models.default.api_key: file"
                + " '/dev/zero': is not a regular file (a device, FIFO or socket); name a regular file");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void load_fileReferenceToFifo_isRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("key.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    String c = config("${file:key.fifo}", "http://localhost");
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "${file")
                + ": models.default.api_key: file"
                + " 'key.fifo': is not a regular file (a device, FIFO or socket); name a regular file");
  }

  @Test
  void load_fileReferenceOverTheLimit_isRefused() {
    fx.file("big.txt", "k".repeat(2048)).maxManifestBytes(1024);
    String c = config("${file:big.txt}", "http://localhost");
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "${file")
                + ": models.default.api_key: file"
                + " 'big.txt': the file has 2048 bytes, more than the limit of 1024 for ${file:...} (point it at a small file"
                + " holding the value)");
  }

  @Test
  void load_fileReferenceWithInvalidUtf8_namesLineAndColumnInThatFile() throws Exception {
    java.nio.file.Files.write(
        dir.resolve("key.txt"), new byte[] {'s', 'k', '\n', 'a', (byte) 0xC3, '('});
    String c = config("${file:key.txt}", "http://localhost");
    fx.config(c);

    assertThat(fx.problems())
        .containsExactly(
            "config.yml:"
                + at(c, "${file")
                + ": models.default.api_key: file"
                + " 'key.txt' at line 2, column 2: invalid UTF-8 (byte 0xc3); save the file as UTF-8");
  }
}
