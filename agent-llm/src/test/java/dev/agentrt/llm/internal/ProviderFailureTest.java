package dev.agentrt.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The failures the JDK HTTP client and LangChain4j throw, as the lines a person reads. */
class ProviderFailureTest {
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  static ProviderFailure of(Throwable e, String provider, String baseUrl) {
    return ProviderFailure.of(e, provider, baseUrl, TIMEOUT);
  }

  @Test
  void of_unresolvedAddressFromJdkClient_namesHostAsUnknown() {
    ProviderFailure f =
        of(
            new UnresolvedModelServerException(new UnresolvedAddressException()),
            "ollama",
            "http://gpu-box.invalid:11434");

    assertThat(f.what())
        .isEqualTo("cannot reach gpu-box.invalid:11434 (unknown host; check base_url)");
    assertThat(f.retryable()).isFalse();
  }

  @Test
  void of_unknownHostException_namesHostAsUnknown() {
    assertThat(
            of(
                    new RuntimeException(new UnknownHostException("api.example.invalid")),
                    "openai",
                    null)
                .what())
        .isEqualTo("cannot reach api.openai.com (unknown host; check base_url)");
  }

  @Test
  void of_connectExceptionWithoutMessage_saysConnectionRefused() {
    ProviderFailure f =
        of(new RuntimeException(new ConnectException()), "anthropic", "http://127.0.0.1:9/v1/");

    assertThat(f.what()).isEqualTo("cannot connect to 127.0.0.1:9 (connection refused)");
    assertThat(f.retryable()).isTrue();
  }

  @Test
  void of_connectTimeout_saysConnectionTimedOut() {
    assertThat(
            of(
                    new RuntimeException(new HttpConnectTimeoutException("HTTP connect timed out")),
                    "openai",
                    "https://llm.internal:8443/v1")
                .what())
        .isEqualTo("cannot connect to llm.internal:8443 (connection timed out)");
  }

  @Test
  void of_readTimeout_namesTimeoutSetting() {
    assertThat(
            of(
                    new RuntimeException(new HttpTimeoutException("request timed out")),
                    "anthropic",
                    null)
                .what())
        .isEqualTo(
            "no response from api.anthropic.com within 120 s (raise timeout: in config.yml)");
  }

  @Test
  void of_httpErrorWithOpenAiBody_showsStatusAndProviderMessage() {
    ProviderFailure f =
        of(
            new RateLimitException(
                new HttpException(
                    429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}")),
            "openai",
            null);

    assertThat(f.what()).isEqualTo("HTTP 429: Rate limit reached");
    assertThat(f.brief()).isEqualTo("HTTP 429");
    assertThat(f.retryable()).isTrue();
  }

  @Test
  void of_httpErrorWithOllamaBody_showsStatusAndProviderMessage() {
    ProviderFailure f =
        of(new HttpException(404, "{\"error\":\"model 'llama9' not found\"}"), "ollama", null);

    assertThat(f.what()).isEqualTo("HTTP 404: model 'llama9' not found");
    assertThat(f.retryable()).isFalse();
  }

  @Test
  void of_jsonParseFailure_saysMalformedWithoutClassNames() {
    JsonParseException parse = new JsonParseException(null, "Unexpected end-of-input");

    assertThat(of(new RuntimeException(parse), "openai", "http://127.0.0.1:8080/v1").what())
        .isEqualTo(
            "malformed response from 127.0.0.1:8080: not valid JSON (Unexpected end-of-input)");
  }

  @Test
  void of_nullPointerInClient_saysMalformedWithoutClassNames() {
    NullPointerException npe =
        new NullPointerException(
            "Cannot invoke \"java.util.List.get(int)\" because the return"
                + " value of \"dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse.choices()\" is null");

    assertThat(of(npe, "openai", null).what())
        .isEqualTo(
            "malformed response from api.openai.com: a field the openai API"
                + " always sends is missing or has another type");
  }
}
