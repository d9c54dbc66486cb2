package dev.agentrt.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.address=127.0.0.1")
class ExampleApplicationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired WriterModel writer;
  @Autowired OrderBook orders;

  @Test
  void postRunsTheWorkflowWithTheApplicationsModelAndToolBeans() throws Exception {
    HttpResponse<String> response = post("/runs/order-status", "{\"order\": \"A-7\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode output = new ObjectMapper().readTree(response.body());
    assertThat(output.path("order").asText()).isEqualTo("A-7");
    // the scripted clerk called the @Tool bean ...
    assertThat(output.path("status").asText()).isEqualTo("shipped");
    assertThat(orders.lookedUp()).containsExactly("A-7");
    // ... and the in-process ChatModel bean wrote the reply from the clerk's answer
    assertThat(output.path("reply").asText()).isEqualTo("Good news: order A-7 has shipped.");
    assertThat(writer.calls()).isEqualTo(1);
  }

  @Test
  void anUnknownWorkflowIs404AndABadInputIs400() throws Exception {
    assertThat(post("/runs/no-such-flow", "{}").statusCode()).isEqualTo(404);
    HttpResponse<String> bad = post("/runs/order-status", "{\"order\": 7}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("order");
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
