package dev.agentrt.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with an auto-configured {@link dev.agentrt.core.AgentRuntime}: {@code
 * POST /runs/{workflow}} runs a workflow of {@code .agent/} ({@link RunController}); the writer
 * agent's model is the {@link WriterModel} bean, the clerk's tool the {@link OrderBook} bean.
 */
@SpringBootApplication
public class ExampleApplication {
  /** Starts the application (from this module's directory, where {@code .agent/} is). */
  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }
}
