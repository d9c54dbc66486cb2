package dev.agentrt.inspector.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.spi.RunListener;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Server-sent events fed by a {@link RunListener}: each stream gets its own bounded queue, filled
 * on the runs' threads without blocking them, and drained by the stream's own thread. Events carry
 * no content (no outputs, no tokens' text), and their messages are redacted.
 */
final class EventHub implements RunListener {
  /** Events kept for a slow client before its stream is ended (it reconnects and reloads). */
  static final int QUEUE = 10_000;

  static final long PING_SECONDS = 15;
  private static final String END = "";

  private final Content content;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  EventHub(Content content) {
    this.content = content;
  }

  /**
   * One open stream: the run it follows (every run's when null) and its queue (identity equality).
   */
  private static final class Subscriber {
    final @Nullable String runId;
    final BlockingQueue<String> queue;

    Subscriber(@Nullable String runId, BlockingQueue<String> queue) {
      this.runId = runId;
      this.queue = queue;
    }
  }

  @Override
  public void onEvent(RunEvent event) {
    if (event instanceof RunEvent.LlmToken || subscribers.isEmpty()) return;
    String frame = frame(event);
    for (Subscriber s : subscribers) {
      if (s.runId != null && !s.runId.equals(event.runId())) continue;
      if (!s.queue.offer(frame)) {
        subscribers.remove(s);
        s.queue.clear();
        s.queue.offer(END);
      }
    }
  }

  /** One {@code event:}/{@code data:} frame: the event's fields, durations in milliseconds. */
  String frame(RunEvent event) {
    String type = event.getClass().getSimpleName();
    ObjectNode data = InspectorServer.MAPPER.createObjectNode();
    data.put("type", type);
    for (RecordComponent c : event.getClass().getRecordComponents()) {
      String name = c.getName();
      if (name.equals("output") || name.equals("text")) continue;
      Object v;
      try {
        v = c.getAccessor().invoke(event);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (v == null) data.putNull(name);
      else if (v instanceof Instant i) data.put(name, i.toString());
      else if (v instanceof Duration d) data.put(name + "Ms", d.toMillis());
      else if (v instanceof Boolean b) data.put(name, b);
      else if (v instanceof Integer n) data.put(name, n);
      else if (v instanceof Long n) data.put(name, n);
      else if (v instanceof Double n) data.put(name, n);
      else if (v instanceof Enum<?> e) data.put(name, e.name());
      else data.put(name, content.text(v.toString()));
    }
    return "event: " + type + "\ndata: " + InspectorServer.json(data) + "\n\n";
  }

  /**
   * Streams the events of {@code runId} (every run's when null) to {@code exchange} until the
   * client goes away or the hub closes; a comment line every {@link #PING_SECONDS} keeps proxies
   * and browsers from timing out.
   */
  void stream(HttpExchange exchange, @Nullable String runId) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    Subscriber sub = new Subscriber(runId, new ArrayBlockingQueue<>(QUEUE));
    subscribers.add(sub);
    try {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      write(out, "retry: 2000\n: connected\n\n");
      while (!closed) {
        String frame = sub.queue.poll(PING_SECONDS, TimeUnit.SECONDS);
        if (frame == END) break;
        write(out, frame == null ? ": ping\n\n" : frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close(); // ends the chunked response cleanly before the server stops
      subscribers.remove(sub);
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Ends every stream, and waits at most {@code timeout} for them to have ended. */
  void close(Duration timeout) {
    closed = true;
    for (Subscriber s : subscribers) {
      s.queue.clear();
      s.queue.offer(END);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      long left;
      while (!subscribers.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Streams open now (for tests). */
  int streams() {
    return subscribers.size();
  }
}
