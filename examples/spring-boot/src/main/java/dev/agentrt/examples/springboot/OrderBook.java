package dev.agentrt.examples.springboot;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/**
 * A bean with a LangChain4j {@code @Tool} method: the starter registers it as tool order_status.
 */
@Component
class OrderBook {
  private final Map<String, String> statuses = Map.of("A-7", "shipped", "B-2", "packed");
  private final List<String> lookedUp = new CopyOnWriteArrayList<>();

  @Tool("The shipping status of an order")
  String orderStatus(@P("the order id, such as A-7") String id) {
    lookedUp.add(id);
    return statuses.getOrDefault(id, "unknown");
  }

  /** The ids looked up so far. */
  List<String> lookedUp() {
    return List.copyOf(lookedUp);
  }
}
