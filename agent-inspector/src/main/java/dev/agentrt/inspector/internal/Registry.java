package dev.agentrt.inspector.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.Capabilities;
import dev.agentrt.core.manifest.CheckpointSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.spi.RunQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The registry page's document: agents, tools, models (with a reachability probe), workflows,
 * capability tags, the store's health and the JVM's resources.
 */
final class Registry {
  /** How long a model's probe result is reused. */
  static final Duration PROBE_TTL = Duration.ofSeconds(30);

  static final int CONNECT_TIMEOUT_MS = 2000;

  private static final Map<String, String> DEFAULT_URLS =
      Map.of(
          "openai", "https://api.openai.com",
          "anthropic", "https://api.anthropic.com",
          "ollama", "http://localhost:11434");

  private final AgentRuntime runtime;
  private final Manifests manifests;
  private final Content content;
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();

  private record Probe(@Nullable Boolean reachable, String detail, Instant at) {}

  Registry(AgentRuntime runtime, Content content) {
    this.runtime = runtime;
    this.manifests = runtime.manifests();
    this.content = content;
  }

  ObjectNode json() {
    ObjectNode root = InspectorServer.MAPPER.createObjectNode();
    Capabilities caps = runtime.capabilities();
    Map<String, Capabilities.Entry> agentEntries = new TreeMap<>();
    for (Capabilities.Entry e : caps.entries(Capabilities.Kind.AGENT)) agentEntries.put(e.id(), e);

    ArrayNode agents = root.putArray("agents");
    for (AgentSpec a : new TreeMap<>(manifests.agents()).values()) {
      ObjectNode o = agents.addObject();
      o.put("id", a.name());
      o.put("description", content.text(a.description()));
      o.put("model", a.model() == null ? "default" : a.model());
      ArrayNode tools = o.putArray("tools");
      if (a.tools() != null) a.tools().forEach(tools::add);
      ArrayNode tags = o.putArray("tags");
      Capabilities.Entry e = agentEntries.get(a.name());
      if (e != null) e.tags().forEach(tags::add);
    }

    ArrayNode tools = root.putArray("tools");
    for (Capabilities.Entry e : caps.entries(Capabilities.Kind.TOOL)) {
      ObjectNode o = tools.addObject();
      o.put("name", e.id());
      o.put("description", content.text(e.description()));
      ArrayNode tags = o.putArray("tags");
      e.tags().forEach(tags::add);
    }

    ArrayNode models = root.putArray("models");
    Map<String, String> registered = runtime.registeredModels();
    for (var entry : new TreeMap<>(registered).entrySet()) {
      // an instance the application registered: no address to probe, it is in this JVM
      ModelSpec configured = manifests.config().modelsOrEmpty().get(entry.getKey());
      ObjectNode o = models.addObject();
      o.put("name", entry.getKey());
      o.put("provider", "registered");
      o.put("model", configured == null ? entry.getValue() : configured.model());
      o.put("reachable", true);
      o.put("detail", "registered in Java: " + entry.getValue());
    }
    for (var entry : new TreeMap<>(manifests.config().modelsOrEmpty()).entrySet()) {
      if (registered.containsKey(entry.getKey())) continue;
      ModelSpec m = entry.getValue();
      Probe p = probe(entry.getKey(), m);
      ObjectNode o = models.addObject();
      o.put("name", entry.getKey());
      o.put("provider", m.provider());
      o.put("model", m.model());
      if (p.reachable() == null) o.putNull("reachable");
      else o.put("reachable", p.reachable());
      o.put("detail", content.text(p.detail()));
    }

    ArrayNode workflows = root.putArray("workflows");
    for (WorkflowSpec w : new TreeMap<>(manifests.workflows()).values()) {
      workflows
          .addObject()
          .put("id", w.id())
          .put("description", content.text(w.description()))
          .put("nodes", w.nodes().size());
    }
    ArrayNode tags = root.putArray("tags");
    caps.tags().forEach(tags::add);

    root.set("store", store());
    root.putObject("telemetry").put("mode", content.mode().name().toLowerCase(Locale.ROOT));
    root.set("jvm", jvm());
    return root;
  }

  private ObjectNode store() {
    ObjectNode o = InspectorServer.MAPPER.createObjectNode();
    CheckpointSpec spec = manifests.config().checkpoint();
    String type = spec == null || spec.store() == null ? null : spec.store();
    o.put("type", type != null ? type : runtime.checkpointStore().getClass().getSimpleName());
    try {
      runtime.checkpointStore().list(RunQuery.builder().limit(1).build());
      o.put("open", true);
      String path = spec == null ? null : spec.path();
      o.put("detail", path == null ? "readable" : "readable: " + path);
    } catch (RuntimeException e) {
      o.put("open", false);
      o.put("detail", content.text(String.valueOf(e.getMessage())));
    }
    return o;
  }

  private Probe probe(String name, ModelSpec m) {
    Probe cached = probes.get(name);
    Instant now = Instant.now();
    if (cached != null && cached.at().plus(PROBE_TTL).isAfter(now)) return cached;
    Probe fresh = probeNow(m, now);
    probes.put(name, fresh);
    return fresh;
  }

  /**
   * A scripted model is reachable when its script can be read; a model served over HTTP when its
   * host accepts a TCP connection (nothing is sent, so no token is spent); another provider is
   * unknown.
   */
  private Probe probeNow(ModelSpec m, Instant now) {
    String provider = m.provider().toLowerCase(Locale.ROOT);
    if (provider.equals("scripted")) {
      if (m.script() == null) return new Probe(null, "scripted, without a script file", now);
      Path file = manifests.dir().resolve(m.script());
      boolean ok = Files.isReadable(file);
      return new Probe(ok, (ok ? "script " : "script not readable: ") + m.script(), now);
    }
    String url = m.baseUrl() != null ? m.baseUrl() : DEFAULT_URLS.get(provider);
    if (url == null) return new Probe(null, provider + ": no URL to probe", now);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return new Probe(false, "base_url is not a URL: " + url, now);
    }
    if (uri.getHost() == null) return new Probe(false, "base_url has no host: " + url, now);
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
      return new Probe(true, "connected to " + uri.getHost() + ":" + port, now);
    } catch (IOException e) {
      return new Probe(
          false, "cannot connect to " + uri.getHost() + ":" + port + ": " + e.getMessage(), now);
    }
  }

  private static ObjectNode jvm() {
    ObjectNode o = InspectorServer.MAPPER.createObjectNode();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    o.put("javaVersion", System.getProperty("java.version"));
    o.put("processors", Runtime.getRuntime().availableProcessors());
    o.put("heapUsedBytes", heap.getUsed());
    o.put("heapMaxBytes", heap.getMax());
    o.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
    o.put("uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime());
    return o;
  }
}
