package dev.agentrt.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.Experimental;
import dev.agentrt.core.Templates;
import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.ContextProfileSpec;
import dev.agentrt.core.manifest.Manifests;
import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.core.manifest.NodeSpec;
import dev.agentrt.core.manifest.Role;
import dev.agentrt.core.manifest.WorkflowSpec;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryStore;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeExecutor;
import dev.agentrt.core.spi.NodeInput;
import dev.agentrt.core.spi.NodeKeys;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.NodeProblem;
import dev.agentrt.core.spi.ToolBus;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.llm.internal.AgentLoop;
import dev.agentrt.llm.internal.AgentMessages;
import dev.agentrt.llm.internal.AgentNodeKeys;
import dev.agentrt.llm.internal.ContextParts;
import dev.agentrt.llm.internal.GenAi;
import dev.agentrt.llm.internal.ModelCandidate;
import dev.agentrt.llm.internal.ModelGuards;
import dev.agentrt.llm.internal.ModelMetrics;
import dev.agentrt.llm.internal.ModelProviders;
import dev.agentrt.llm.internal.RouterAdvice;
import dev.agentrt.llm.internal.WireNames;
import dev.agentrt.llm.spi.ModelProvider;
import dev.agentrt.llm.spi.ModelSetup;
import dev.agentrt.llm.spi.TokenCounter;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code kind: agent} nodes: an LLM with tools (ARCHITECTURE §6).
 *
 * <p>One execution: the system prompt is the agent's {@code system:} file rendered with {@code
 * {{path}}} from state, the user message is the node's input (its text when it is a string,
 * otherwise its JSON); the model is offered the agent's {@code tools:} that the bus and policy
 * allow; while the model asks for tools, they run through the {@link ToolBus} (several in one
 * response run concurrently, their results go back in call order), at most {@code max_tool_rounds}
 * times (default {@value #DEFAULT_MAX_TOOL_ROUNDS}). The final answer is the node's output: parsed
 * as JSON and validated when the agent has {@code output.schema} (one repair round shows the model
 * the validation error), otherwise the text.
 *
 * <p><b>Output and usage:</b> the node's output is the answer itself, so a decision node's {@code
 * route:} reads the answer's fields. Usage is not in the output: each LLM call's tokens and cost
 * are charged to the run budget (so they are in the step's usage in the step log) and in the call's
 * {@link CallRecord#usage()}.
 *
 * <p><b>Messages between agents:</b> when the workflow has other agent nodes, the built-in tool
 * {@code send_message} ({@code {to, text}}) is offered; calls are recorded with the step (kind
 * {@code message}), the messages sent are added to the sender's output under {@code $messages}, and
 * an agent's user message ends with the messages addressed to it in the latest outputs of the
 * workflow's nodes, oldest first (docs/agents.md "Messages between agents").
 *
 * <p><b>Context profiles:</b> an agent with {@code context_profile:} gets the sections its profile
 * in {@code config.yml} lists, in that order, fitted to the profile's {@code max_tokens} (counted
 * by the model provider's {@link dev.agentrt.llm.spi.TokenCounter}); memory hits come from {@link
 * Builder#memory}. What went in and what was cut is recorded with the step's first LLM call, and a
 * resumed step rebuilds the same prompt from it without searching again (docs/agents.md "Context
 * profiles"). Without a profile the prompt is every section, uncut.
 *
 * <p><b>Model fallback:</b> a call that still fails with a retryable error after the model's
 * retries, or that the model's circuit breaker ({@code circuit_breaker:}) or rate limiter ({@code
 * rate_limit:}) refuses, goes to the models of its {@code fallback:} in order (entries of {@code
 * models:} or models registered with {@link Builder#model}); a non-retryable failure does not. The
 * call's record names the model that answered, so a resumed step replays it from the record
 * whichever model gave it (docs/agents.md "Model fallback"). Breakers and limiters are per model
 * key and shared by every run of this executor, on {@link Builder#clock}; so are the slots of a
 * model's {@code max_concurrency:}, for which a call over the limit waits (interruptibly, fairly).
 *
 * <p><b>Agent budgets:</b> the agent's {@code budget:} limits each execution, checked after the
 * run's budget before every LLM and tool call.
 *
 * <p><b>Durability:</b> every completed LLM call is recorded ({@code kind: llm}, the request hash
 * is SHA-256 of the canonical request: model, parameters, messages, tool specifications) as it
 * completes, and every tool call is recorded by the bus; calls share one index sequence per step. A
 * resumed step reuses the recorded calls in order instead of calling the model again; if a recorded
 * request differs from the one the step would send, the step fails (the conversation diverged).
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class AgentNodeExecutor implements NodeExecutor, AutoCloseable {
  /**
   * The provider recorded for a model registered with {@link Builder#model} when {@code config.yml}
   * has no entry of its name.
   */
  public static final String REGISTERED = "registered";

  /** The entry of a registered model that config.yml does not list: no settings, no pricing. */
  private static final ModelSpec REGISTERED_SPEC =
      new ModelSpec(
          REGISTERED, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Model-tool round trips allowed when an agent sets no {@code max_tool_rounds}. */
  public static final int DEFAULT_MAX_TOOL_ROUNDS = 10;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(AgentNodeExecutor.class);

  private final ToolBus bus;
  private final Map<String, ModelProvider> providers;
  private final Path configDir;
  private final Map<String, ChatModel> registered;
  private final Map<String, StreamingChatModel> registeredStreaming;
  private final Map<String, ModelSpec.PricingSpec> pricing;
  private final Set<String> unstreamedLogged = ConcurrentHashMap.newKeySet();
  private final Map<String, ChatModel> models = new ConcurrentHashMap<>();
  private final Map<String, Optional<StreamingChatModel>> streamingModels =
      new ConcurrentHashMap<>();
  private final Map<String, Templates> prompts = new ConcurrentHashMap<>();
  private final Map<String, TokenCounter> counters = new ConcurrentHashMap<>();
  private final ExecutorService toolThreads;
  private final Tracer tracer;
  private final LongCounter routerDecisions;
  private final ModelMetrics modelMetrics;
  private final ModelGuards guards;
  private final MemoryStore memory;
  private final @Nullable Function<MemoryScope, MemorySpace> memorySpaces;

  private AgentNodeExecutor(Builder b) {
    this.tracer = b.openTelemetry.getTracer("dev.agentrt.llm");
    this.routerDecisions = RouterAdvice.counter(b.openTelemetry);
    this.modelMetrics = new ModelMetrics(b.openTelemetry);
    this.guards = new ModelGuards(b.clock);
    this.bus = Objects.requireNonNull(b.bus, "toolBus");
    this.providers =
        b.discovery
            ? ModelProviders.discover(b.providers)
            : ModelProviders.of(Map.of(), b.providers);
    this.configDir = b.configDir;
    this.registered = Map.copyOf(b.registered);
    this.registeredStreaming = Map.copyOf(b.registeredStreaming);
    this.pricing = Map.copyOf(b.pricing);
    this.memory = b.memory;
    this.memorySpaces = b.memorySpaces;
    AtomicInteger n = new AtomicInteger();
    this.toolThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "agentrt-agent-tools-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return AgentNodeKeys.KIND;
  }

  /** Key {@code agent} (required, naming an agent of {@code agents/}). */
  @Override
  public NodeKeys nodeKeys() {
    return AgentNodeKeys.KEYS;
  }

  /** The providers by name, discovered and registered. */
  public Map<String, ModelProvider> providers() {
    return Map.copyOf(providers);
  }

  @Override
  public List<NodeProblem> validate(NodeSpec node, Manifests manifests) {
    List<NodeProblem> problems = new ArrayList<>();
    if (node.agent() == null) return problems; // reported by nodeKeys()
    Optional<AgentSpec> found = manifests.agent(node.agent());
    if (found.isEmpty()) return problems; // reported by nodeKeys()
    AgentSpec agent = found.get();
    String subject = "agent '" + agent.name() + "': ";
    String modelKey = agent.model() == null ? "default" : agent.model();
    ModelSpec spec = manifests.config().modelsOrEmpty().get(modelKey);
    if (isRegistered(modelKey)) {
      // a registered instance replaces the entry's provider: nothing of the provider to check
    } else if (spec == null) {
      if (agent.model() == null) {
        problems.add(
            new NodeProblem(
                "agent",
                subject
                    + "no model: the agent names none and config.yml has no models.default"
                    + " (add model: to agents/"
                    + agent.name()
                    + ".yml, define models.default in config.yml, or register one with"
                    + " AgentRuntime.builder().model(\"default\", ...))"));
      }
    }
    // the agent's model (unless registered) and its fallbacks that are entries of models:
    for (String key : ModelGuards.chain(modelKey, k -> manifests.config().modelsOrEmpty().get(k))) {
      if (isRegistered(key)) continue;
      ModelSpec s = manifests.config().modelsOrEmpty().get(key);
      ModelProvider p = providers.get(s.provider());
      if (p == null) {
        problems.add(
            new NodeProblem(
                "agent",
                subject
                    + "model '"
                    + key
                    + "': unknown provider '"
                    + s.provider()
                    + "' (known providers: "
                    + String.join(", ", new TreeSet<>(providers.keySet()))
                    + ")"));
      } else {
        for (String text : p.validate(new ModelSetup(key, s, dir(manifests)))) {
          problems.add(new NodeProblem("agent", subject + text));
        }
      }
    }
    for (String tool : tools(agent)) {
      bus.check(tool, agent.name(), tools(agent))
          .ifPresent(
              f -> problems.add(new NodeProblem("agent", subject + "tools: " + f.message())));
    }
    List<String> offered = new ArrayList<>(tools(agent));
    if (!offered.contains(AgentMessages.TOOL) && sendsMessages(node, agent, manifests))
      offered.add(AgentMessages.TOOL);
    WireNames.collision(offered)
        .ifPresent(
            c ->
                problems.add(
                    new NodeProblem(
                        "agent",
                        subject
                            + "tools: "
                            + c
                            + ", and providers accept only letters, digits, '_' and '-' in tool names (offer only one of them in agents/"
                            + agent.name()
                            + ".yml tools:)")));
    // output.schema is checked against the meta-schema by the manifest reader, at its line in
    // agents/*.yml
    return problems;
  }

  /**
   * Whether the agent of {@code node} is offered {@value AgentMessages#TOOL} (its workflow has
   * other agents).
   */
  private static boolean sendsMessages(NodeSpec node, AgentSpec agent, Manifests manifests) {
    for (WorkflowSpec wf : manifests.workflows().values()) {
      for (NodeSpec n : wf.nodes()) {
        if (n == node) return !AgentMessages.recipients(wf, agent.name()).isEmpty();
      }
    }
    return false;
  }

  @Override
  public NodeOutcome execute(NodeInput input, NodeContext context) throws Exception {
    NodeSpec node = input.node();
    String where = "node '" + node.id() + "'";
    if (node.agent() == null) return new NodeOutcome.Failed(where + " has no agent:", null, false);
    Manifests manifests = context.manifests();
    Optional<AgentSpec> found = manifests.agent(node.agent());
    if (found.isEmpty())
      return new NodeOutcome.Failed(where + ": no agent '" + node.agent() + "'", null, false);
    AgentSpec agent = found.get();
    String modelKey = agent.model() == null ? "default" : agent.model();
    ModelSpec spec = spec(modelKey, manifests);
    if (spec == null) {
      return new NodeOutcome.Failed(
          where
              + ": agent '"
              + agent.name()
              + "': model '"
              + modelKey
              + "' is not defined in config.yml models",
          null,
          false);
    }
    ChatModel model;
    StreamingChatModel streaming;
    try {
      model = model(modelKey, spec, manifests);
      streaming =
          Boolean.TRUE.equals(agent.stream()) ? streamingModel(modelKey, spec, manifests) : null;
    } catch (IllegalArgumentException e) {
      return new NodeOutcome.Failed(
          where + ": agent '" + agent.name() + "': " + e.getMessage(), null, false);
    }
    String system;
    try {
      system = system(agent, input, manifests);
    } catch (Templates.MissingPathException e) {
      return new NodeOutcome.Failed(
          where + ": agent '" + agent.name() + "': system prompt: " + e.getMessage(), null, false);
    }
    List<ToolDescriptor> tools = new ArrayList<>();
    for (String t : tools(agent)) {
      if (bus.check(t, agent.name(), tools(agent)).isEmpty())
        bus.descriptor(t).ifPresent(tools::add);
    }
    int maxRounds = agent.maxToolRounds() == null ? DEFAULT_MAX_TOOL_ROUNDS : agent.maxToolRounds();
    List<ModelCandidate> chain = new ArrayList<>();
    chain.add(
        new ModelCandidate(
            modelKey,
            spec,
            () -> model,
            () -> streaming,
            guards.breaker(modelKey, spec),
            guards.limiter(modelKey, spec),
            guards.slots(modelKey, spec)));
    boolean streams = Boolean.TRUE.equals(agent.stream());
    for (String key : ModelGuards.chain(modelKey, k -> spec(k, manifests))) {
      if (key.equals(modelKey)) continue;
      ModelSpec s = spec(key, manifests);
      chain.add(
          new ModelCandidate(
              key,
              s,
              () -> model(key, s, manifests),
              () -> streams ? streamingModel(key, s, manifests) : null,
              guards.breaker(key, s),
              guards.limiter(key, s),
              guards.slots(key, s)));
    }
    AgentLoop loop =
        new AgentLoop(
            where,
            agent,
            chain,
            streams,
            modelMetrics,
            bus,
            tools,
            maxRounds,
            context,
            toolThreads,
            manifests.redactor(),
            tracer);
    Optional<WorkflowSpec> workflow = manifests.workflow(context.workflowId());
    String inputText = userMessage(input.value());
    RouterAdvice advice =
        workflow.isPresent() && node.roleOrDefault() == Role.DECISION
            ? RouterAdvice.of(workflow.get(), node, input)
            : null;
    String status = loopStatus(input.get("$loops"));
    if (advice != null) status = status.isEmpty() ? advice.line() : status + "\n\n" + advice.line();
    List<JsonNode> inbox = List.of();
    if (workflow.isPresent() && !tools(agent).contains(AgentMessages.TOOL)) {
      loop.messages(
          AgentMessages.recipients(workflow.get(), agent.name()), context.budget().used().hops());
      inbox = AgentMessages.inbox(workflow.get(), input, agent.name());
    }
    ContextProfileSpec profile = null;
    if (agent.contextProfile() != null) {
      profile = manifests.config().contextProfilesOrEmpty().get(agent.contextProfile());
      if (profile == null) {
        return new NodeOutcome.Failed(
            where
                + ": agent '"
                + agent.name()
                + "': context profile '"
                + agent.contextProfile()
                + "' is not defined in config.yml context_profiles",
            null,
            false);
      }
    }
    Span span =
        tracer
            .spanBuilder("invoke_agent " + agent.name())
            .setAttribute(GenAi.OPERATION, "invoke_agent")
            .setAttribute(GenAi.AGENT_NAME, agent.name())
            .setAttribute(GenAi.REQUEST_MODEL, spec.model() == null ? modelKey : spec.model())
            .startSpan();
    Scope current = span.makeCurrent();
    try {
      String user;
      if (profile == null) {
        // no profile: every section, uncut, as before profiles existed
        user = AgentMessages.withInbox(withStatus(inputText, status), inbox);
      } else {
        ContextParts.Prompt p;
        try {
          p =
              new ContextParts(memory, sharedSpaces(manifests), tracer)
                  .assemble(
                      where + ": agent '" + agent.name() + "'",
                      agent.contextProfile(),
                      profile,
                      counter(modelKey, spec, manifests),
                      new ContextParts.Sections(system, inputText, status, inbox),
                      input,
                      context);
        } catch (ContextParts.Failure e) {
          span.setStatus(StatusCode.ERROR, e.getMessage());
          return new NodeOutcome.Failed(e.getMessage(), e.getCause(), false);
        }
        system = p.system();
        user = p.user();
        loop.context(p.report());
      }
      NodeOutcome outcome = loop.run(system, user);
      if (advice != null && outcome instanceof NodeOutcome.Completed done)
        advice.decided(context, routerDecisions, done.output(), node.route());
      if (outcome instanceof NodeOutcome.Failed f) span.setStatus(StatusCode.ERROR, f.message());
      return outcome;
    } catch (ModelException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      return new NodeOutcome.Failed(e.getMessage(), e, e.retryable());
    } finally {
      current.close();
      span.end();
    }
  }

  /**
   * The entry of {@code models:}, or for a model registered without one an entry of provider
   * {@value #REGISTERED} and no other settings (no pricing: zero cost); null if neither.
   */
  private @Nullable ModelSpec spec(String key, Manifests manifests) {
    ModelSpec spec = manifests.config().modelsOrEmpty().get(key);
    if (spec == null && !isRegistered(key)) return null;
    if (spec == null) spec = REGISTERED_SPEC;
    ModelSpec.PricingSpec price = pricing.get(key);
    return price == null ? spec : spec.withPricing(price);
  }

  private boolean isRegistered(String key) {
    return registered.containsKey(key) || registeredStreaming.containsKey(key);
  }

  private ChatModel model(String key, ModelSpec spec, Manifests manifests) {
    ChatModel m = models.get(key);
    if (m != null) return m;
    if (registered.containsKey(key)) return registered.get(key);
    StreamingChatModel only = registeredStreaming.get(key);
    if (only != null) return models.computeIfAbsent(key, k -> new BlockingChat(only));
    ModelProvider p = providers.get(spec.provider());
    if (p == null) {
      throw new IllegalArgumentException(
          "model '"
              + key
              + "': unknown provider '"
              + spec.provider()
              + "' (known providers: "
              + String.join(", ", new TreeSet<>(providers.keySet()))
              + ")");
    }
    return models.computeIfAbsent(key, k -> p.create(new ModelSetup(k, spec, dir(manifests))));
  }

  /** The entry's streaming model, or null when its provider cannot stream (logged once). */
  private @Nullable StreamingChatModel streamingModel(
      String key, ModelSpec spec, Manifests manifests) {
    StreamingChatModel given = registeredStreaming.get(key);
    if (given != null) return given;
    if (registered.containsKey(key)) {
      if (unstreamedLogged.add(key)) {
        log.warn(
            "model '{}': the registered {} is not a StreamingChatModel; agents with stream: true"
                + " use it without streaming",
            key,
            registered.get(key).getClass().getName());
      }
      return null;
    }
    Optional<StreamingChatModel> m = streamingModels.get(key);
    if (m == null) {
      ModelProvider p = providers.get(spec.provider());
      m =
          streamingModels.computeIfAbsent(
              key,
              k -> {
                try {
                  return Optional.of(p.createStreaming(new ModelSetup(k, spec, dir(manifests))));
                } catch (UnsupportedOperationException e) {
                  log.warn(
                      "model '{}': provider '{}' cannot stream ({}); agents with stream: true use it without streaming",
                      k,
                      spec.provider(),
                      e.getMessage());
                  return Optional.empty();
                }
              });
    }
    return m.orElse(null);
  }

  /**
   * The project and global spaces: {@link Builder#memorySpaces}, or by default those of the runtime
   * ({@link MemorySpace#projectOf} the configuration directory, and the one global space).
   */
  private Function<MemoryScope, MemorySpace> sharedSpaces(Manifests manifests) {
    if (memorySpaces != null) return memorySpaces;
    MemorySpace project = MemorySpace.projectOf(dir(manifests));
    return scope -> scope == MemoryScope.GLOBAL ? MemorySpace.global() : project;
  }

  /** The model's token counter, from its provider ({@link ModelProvider#tokenCounter}). */
  private TokenCounter counter(String key, ModelSpec spec, Manifests manifests) {
    TokenCounter c = counters.get(key);
    if (c != null) return c;
    ModelProvider p = providers.get(spec.provider());
    return counters.computeIfAbsent(
        key,
        k ->
            p == null
                ? TokenCounter.forModel(spec.model())
                : p.tokenCounter(new ModelSetup(k, spec, dir(manifests))));
  }

  private Path dir(Manifests manifests) {
    return configDir != null ? configDir : manifests.dir();
  }

  private String system(AgentSpec agent, NodeInput input, Manifests manifests) throws IOException {
    if (agent.system() == null && agent.prompt() == null) return "";
    Templates t = prompts.get(agent.name());
    if (t == null) {
      String text =
          agent.prompt() != null
              ? agent.prompt()
              : Files.readString(dir(manifests).resolve(agent.system()));
      t = prompts.computeIfAbsent(agent.name(), k -> Templates.compile(TextNode.valueOf(text)));
    }
    JsonNode v = t.evaluate(input);
    return v.isTextual() ? v.asText() : v.toString();
  }

  private static List<String> tools(AgentSpec agent) {
    return agent.tools() == null ? List.of() : agent.tools();
  }

  /**
   * Appends the workflow's bounded loops (iteration and remaining) so that an agent can converge as
   * iterations run out (ARCHITECTURE §3). Deterministic: it depends only on state.
   */
  static String withLoopStatus(String user, JsonNode loops) {
    return withStatus(user, loopStatus(loops));
  }

  /**
   * Appends {@code status} (the loop status, and an inform-mode router's recommendation) to the
   * user message.
   */
  private static String withStatus(String user, String status) {
    return status.isEmpty() ? user : user + "\n\n" + status;
  }

  /** The loop status block ({@code Loops in this workflow:} and a line per loop), or "". */
  static String loopStatus(JsonNode loops) {
    if (!loops.isObject() || loops.isEmpty()) return "";
    StringBuilder sb = new StringBuilder("Loops in this workflow:");
    for (Map.Entry<String, JsonNode> e : loops.properties()) {
      JsonNode l = e.getValue();
      sb.append("\n- ")
          .append(e.getKey())
          .append(": iteration ")
          .append(l.path("iteration").asInt())
          .append(" of ")
          .append(l.path("max").asInt())
          .append(" (")
          .append(l.path("remaining").asInt())
          .append(" remaining)");
    }
    return sb.toString();
  }

  private static String userMessage(JsonNode value) throws JsonProcessingException {
    if (value.isTextual()) return value.asText();
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  /** A registered streaming-only model serving agents without {@code stream: true}. */
  private static final class BlockingChat implements ChatModel {
    private final StreamingChatModel streaming;

    BlockingChat(StreamingChatModel streaming) {
      this.streaming = streaming;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      streaming.chat(
          request,
          new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {}

            @Override
            public void onCompleteResponse(ChatResponse response) {
              done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
              done.completeExceptionally(error);
            }
          });
      try {
        return done.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the model", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
      }
    }
  }

  /** Stops the threads that run concurrent tool calls. */
  @Override
  public void close() {
    toolThreads.shutdownNow();
  }

  /** Builds an {@link AgentNodeExecutor}. Not thread-safe. */
  public static final class Builder {
    private ToolBus bus;
    private final List<ModelProvider> providers = new ArrayList<>();
    private boolean discovery = true;
    private Path configDir;
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private Clock clock = Clock.systemUTC();
    private MemoryStore memory =
        MemoryStore.unavailable(
            "this agent executor has no memory (give it one with"
                + " AgentNodeExecutor.builder().memory(...), or run it in a runtime with"
                + " dev.agentrt:agent-memory on the class path)");
    private @Nullable Function<MemoryScope, MemorySpace> memorySpaces;
    private final Map<String, ChatModel> registered = new LinkedHashMap<>();
    private final Map<String, StreamingChatModel> registeredStreaming = new LinkedHashMap<>();
    private final Map<String, ModelSpec.PricingSpec> pricing = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Uses {@code model} for {@code models.<name>} instead of the model the entry's provider would
     * create (the provider is neither validated nor called; the entry's {@code pricing:} and other
     * settings still apply, and without an entry the cost is zero and tokens are estimated). Agents
     * with {@code stream: true} stream through the model given to {@link #streamingModel} for the
     * same name, or a {@link ScriptedModel}'s {@link ScriptedModel#streaming()}; otherwise they run
     * unstreamed (logged once). Calls are recorded and replayed as for any model.
     *
     * @throws IllegalArgumentException if a chat model of that name is already registered
     * @since 0.1
     */
    public Builder model(String name, ChatModel model) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(model, "model");
      if (registered.putIfAbsent(name, model) != null)
        throw new IllegalArgumentException("two chat models registered as '" + name + "'");
      if (model instanceof ScriptedModel s) registeredStreaming.putIfAbsent(name, s.streaming());
      return this;
    }

    /**
     * The prices of {@code models.<name>} (US dollars per million input and output tokens), over
     * the {@code pricing:} of its {@code config.yml} entry; for a registered model without an entry
     * they are its only prices.
     *
     * @since 0.1
     */
    public Builder pricing(String name, ModelSpec.PricingSpec pricing) {
      this.pricing.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(pricing, "pricing"));
      return this;
    }

    /**
     * Uses {@code model} for {@code models.<name>} in agents with {@code stream: true}, as {@link
     * #model} does for the others; registered alone, it serves agents without streaming too (their
     * calls wait for the whole response).
     *
     * @throws IllegalArgumentException if a streaming model of that name is already registered
     * @since 0.1
     */
    public Builder streamingModel(String name, StreamingChatModel model) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(model, "model");
      StreamingChatModel prev = registeredStreaming.get(name);
      boolean fromScripted =
          prev != null && registered.get(name) instanceof ScriptedModel s && s.streaming() == prev;
      if (prev != null && !fromScripted)
        throw new IllegalArgumentException("two streaming models registered as '" + name + "'");
      registeredStreaming.put(name, model);
      return this;
    }

    /**
     * The memory that context profiles with a {@code memory} section search: in a runtime its
     * memory ({@link dev.agentrt.core.spi.ExecutorSetup#memory()}). The executor does not close it.
     * Default: a store that fails every search, saying how to set memory up.
     *
     * @since 0.1
     */
    public Builder memory(MemoryStore memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    /**
     * Which spaces a profile's {@code project} and {@code global} scopes search (the {@code task}
     * scope is always the run's own space, {@link MemorySpace#task}). Default: {@link
     * MemorySpace#projectOf} the configuration directory (owned by the name of the directory
     * holding it), and {@link MemorySpace#global()}.
     *
     * @since 0.1
     */
    @Experimental
    public Builder memorySpaces(Function<MemoryScope, MemorySpace> spaces) {
      this.memorySpaces = Objects.requireNonNull(spaces, "spaces");
      return this;
    }

    /**
     * The OpenTelemetry instance for {@code invoke_agent} and {@code chat} spans (GenAI
     * conventions) under the engine's step span; default a no-op.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * The bus tool calls go through: agent-tools' {@code dev.agentrt.tools.ToolBus}, or in a
     * runtime its one bus ({@link dev.agentrt.core.spi.ExecutorSetup#toolBus()}). The executor does
     * not close it. Required.
     */
    public Builder toolBus(ToolBus bus) {
      this.bus = Objects.requireNonNull(bus, "bus");
      return this;
    }

    /**
     * The clock of the models' circuit breakers ({@code open_for}) and rate limiters ({@code
     * rate_limit.per}); in a runtime its clock ({@link
     * dev.agentrt.core.spi.ExecutorSetup#clock()}). Default: the UTC system clock.
     *
     * @since 0.1
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a provider; it wins over a discovered one of the same name. */
    public Builder modelProvider(ModelProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Whether providers are discovered with ServiceLoader (default true). */
    public Builder discovery(boolean discovery) {
      this.discovery = discovery;
      return this;
    }

    /** Where prompt and script paths resolve; default: the manifests' directory. */
    public Builder configDir(Path configDir) {
      this.configDir = Objects.requireNonNull(configDir, "configDir");
      return this;
    }

    public AgentNodeExecutor build() {
      return new AgentNodeExecutor(this);
    }
  }
}
