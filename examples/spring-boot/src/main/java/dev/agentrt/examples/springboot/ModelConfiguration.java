package dev.agentrt.examples.springboot;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application's chat models: each ChatModel bean is an agentrt model named after the bean. */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {
  @Bean
  WriterModel writer() {
    return new WriterModel();
  }
}
