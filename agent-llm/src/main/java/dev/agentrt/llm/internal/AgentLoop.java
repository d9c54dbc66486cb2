package dev.agentrt.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentrt.core.BudgetLimits;
import dev.agentrt.core.BudgetUsage;
import dev.agentrt.core.ToolFailureKind;
import dev.agentrt.core.event.RunEvent;
import dev.agentrt.core.manifest.AgentSpec;
import dev.agentrt.core.manifest.ModelSpec;
import dev.agentrt.core.manifest.Redactor;
import dev.agentrt.core.spi.Budget;
import dev.agentrt.core.spi.CallKind;
import dev.agentrt.core.spi.CallRecord;
import dev.agentrt.core.spi.NodeContext;
import dev.agentrt.core.spi.NodeOutcome;
import dev.agentrt.core.spi.ToolBus;
import dev.agentrt.core.spi.ToolDescriptor;
import dev.agentrt.core.spi.ToolResult;
import dev.agentrt.llm.ModelException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One execution of an agent: the chat / tool loop. Not thread-safe; one per step attempt. */
public final class AgentLoop {
  private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_CHARS = 500;
  private static final long STREAM_POLL_MILLIS = 100;

  private final String where;
  private final AgentSpec agent;
  private final String modelKey;
  private final ModelSpec spec;
  private final List<ModelCandidate> chain;
  private final boolean streams;
  private final ModelMetrics metrics;
  private String lastBrief = "";
  private boolean rateLimitWaits;
  private final ToolBus bus;
  private final List<ToolDescriptor> tools;
  private final List<ToolSpecification> toolSpecs = new ArrayList<>();
  private final int maxRounds;
  private final NodeContext ctx;
  private final Budget budget;
  private final ExecutorService threads;
  private final Redactor redactor;
  private final Tracer tracer;
  private int index;
  private List<String> recipients = List.of();
  private long hop;
  private final List<ObjectNode> sent = new ArrayList<>();
  private int tokensPublished;
  private @Nullable ObjectNode contextReport;

  /**
   * @param chain the agent's model, then its fallbacks in the order they are tried; not empty
   * @param streams whether calls go through the candidates' streaming models (where they have one)
   *     and their text pieces are published as {@link RunEvent.LlmToken}s
   */
  public AgentLoop(
      String where,
      AgentSpec agent,
      List<ModelCandidate> chain,
      boolean streams,
      ModelMetrics metrics,
      ToolBus bus,
      List<ToolDescriptor> tools,
      int maxRounds,
      NodeContext ctx,
      ExecutorService threads,
      Redactor redactor,
      Tracer tracer) {
    if (chain.isEmpty()) throw new IllegalArgumentException("no model");
    this.chain = List.copyOf(chain);
    this.streams = streams;
    this.metrics = metrics;
    this.tracer = tracer;
    this.where = where + ": agent '" + agent.name() + "'";
    this.agent = agent;
    this.modelKey = chain.get(0).key();
    this.spec = chain.get(0).spec();
    this.bus = bus;
    this.tools = new ArrayList<>(tools);
    for (ToolDescriptor d : tools) toolSpecs.add(ToolSpecs.of(d));
    this.maxRounds = maxRounds;
    this.ctx = ctx;
    this.budget =
        AgentBudget.of(ctx.budget(), BudgetLimits.from(agent.budget()), agent.name(), ctx.clock());
    this.threads = threads;
    List<String> keys = new ArrayList<>();
    for (ModelCandidate c : chain) {
      if (c.spec().apiKey() != null && !c.spec().apiKey().isEmpty())
        keys.add(c.spec().apiKey().reveal());
    }
    this.redactor = keys.isEmpty() ? redactor : redactor.and(keys);
  }

  /**
   * Offers the built-in {@value AgentMessages#TOOL} tool, addressed to {@code recipients}; messages
   * sent are added to the output ({@link AgentMessages#output}). Call before {@link #run}.
   *
   * @param hop the run's node executions when the step started, to order messages
   */
  public void messages(List<String> recipients, long hop) {
    if (recipients.isEmpty()) return;
    this.recipients = List.copyOf(recipients);
    this.hop = hop;
    ToolDescriptor d = AgentMessages.descriptor(this.recipients);
    tools.add(d);
    toolSpecs.add(ToolSpecs.of(d));
  }

  /**
   * Records {@code report} (what a context profile put into the prompt and what it cut) with the
   * step's first LLM call, under {@code context} in its request, so that a resumed step rebuilds
   * the identical prompt from it. Call before {@link #run}.
   */
  public void context(ObjectNode report) {
    this.contextReport = report.deepCopy();
  }

  /** Runs the loop. Budget exceptions propagate. */
  public NodeOutcome run(String system, String user) throws InterruptedException {
    List<ChatMessage> messages = new ArrayList<>();
    if (!system.isEmpty()) messages.add(SystemMessage.from(system));
    messages.add(UserMessage.from(user));
    OutputSchema schema =
        agent.output() == null || agent.output().schema() == null
            ? null
            : OutputSchema.compile(agent.output().schema());
    int rounds = 0;
    boolean repaired = false;
    while (true) {
      AiMessage ai = chat(messages);
      messages.add(ai);
      if (ai.hasToolExecutionRequests()) {
        if (rounds >= maxRounds) {
          return new NodeOutcome.Failed(
              where
                  + ": no final answer after max_tool_rounds "
                  + maxRounds
                  + " tool rounds (the model asked for tools again; raise max_tool_rounds in agents/"
                  + agent.name()
                  + ".yml or make the prompt converge)",
              null,
              false);
        }
        rounds++;
        messages.addAll(runTools(ai.toolExecutionRequests()));
        continue;
      }
      String text = ai.text() == null ? "" : ai.text();
      if (schema == null)
        return NodeOutcome.completed(AgentMessages.output(TextNode.valueOf(text), sent));
      JsonNode answer;
      String problem;
      try {
        answer = JSON.readTree(stripFence(text));
        problem =
            answer == null || answer.isMissingNode()
                ? "the answer is empty"
                : schema.validate(answer);
      } catch (JsonProcessingException e) {
        answer = null;
        problem = "the answer is not JSON: " + e.getOriginalMessage();
      }
      if (problem == null) return NodeOutcome.completed(AgentMessages.output(answer, sent));
      if (repaired) {
        return new NodeOutcome.Failed(
            where
                + ": the answer does not match output.schema after one repair round: "
                + problem
                + "\nanswer: "
                + clip(text),
            null,
            false);
      }
      repaired = true;
      messages.add(
          UserMessage.from(
              "Your answer does not match the required JSON schema: "
                  + problem
                  + "\nReply with only the corrected JSON value, no other text. The schema:\n"
                  + agent.output().schema()));
    }
  }

  /**
   * The canonical request of call {@code i} to {@code key} (recorded, and hashed to detect a
   * changed request on resume).
   */
  private ObjectNode request(String key, ModelSpec spec, List<ChatMessage> messages, int i) {
    ObjectNode modelInfo =
        ChatJson.NODES.objectNode().put("key", key).put("provider", spec.provider());
    if (spec.model() != null) modelInfo.put("name", spec.model());
    modelInfo.put("temperature", temperature(spec));
    if (spec.seed() != null) modelInfo.put("seed", spec.seed());
    ObjectNode request = ChatJson.request(modelInfo, messages, tools);
    if (i == 0 && contextReport != null) request.set("context", contextReport);
    return request;
  }

  private AiMessage chat(List<ChatMessage> messages) throws InterruptedException {
    int i = index++;
    ObjectNode request = request(modelKey, spec, messages, i);
    String hash = ChatJson.hash(request);
    budget.checkLlmCall();
    Optional<CallRecord> earlier = ctx.calls().replayed(i);
    if (earlier.isPresent()) {
      CallRecord c = earlier.get();
      // a call a fallback answered is checked against the request that model was sent, and is
      // answered by that model again (from the record)
      ModelCandidate answered = candidate(c.name());
      String expected =
          answered == null || answered.key().equals(modelKey)
              ? hash
              : ChatJson.hash(request(answered.key(), answered.spec(), messages, i));
      if (c.kind() != CallKind.LLM || answered == null || !c.requestHash().equals(expected)) {
        throw new ModelException(
            where
                + ": step "
                + ctx.stepKey()
                + ": call "
                + i
                + " differs from the one recorded"
                + " before the run stopped (recorded "
                + c.kind()
                + " '"
                + c.name()
                + "' with request hash "
                + c.requestHash().substring(0, Math.min(12, c.requestHash().length()))
                + ", now llm '"
                + modelKey
                + "' with "
                + hash.substring(0, 12)
                + "): the conversation diverged (the agent, its prompt, a model setting or a tool"
                + " result changed; start a new run or fork this one before the step)");
      }
      BudgetUsage u = c.usage();
      budget.chargeLlmCall(u.inputTokens(), u.outputTokens(), u.costUsd());
      return ChatJson.aiMessage(c.response());
    }
    if (Thread.currentThread().isInterrupted() || ctx.isCancelled())
      throw new InterruptedException("run cancelled");
    ChatRequest.Builder rb = ChatRequest.builder().messages(messages);
    if (agent.temperature() != null) rb.temperature(agent.temperature());
    if (!toolSpecs.isEmpty()) rb.toolSpecifications(toolSpecs);
    Instant at = ctx.clock().instant();
    long t0 = System.nanoTime();
    ChatResponse response;
    ModelCandidate who;
    String requested = spec.model() == null ? modelKey : spec.model();
    Span span =
        tracer
            .spanBuilder("chat " + requested)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(GenAi.OPERATION, "chat")
            .setAttribute(GenAi.PROVIDER, spec.provider())
            .setAttribute(GenAi.REQUEST_MODEL, requested)
            .startSpan();
    // content: exported in debug mode only, redacted and capped (agent-telemetry drops it
    // otherwise)
    if (span.isRecording())
      span.addEvent(
          GenAi.PROMPT_EVENT, Attributes.of(GenAi.PROMPT, request.path("messages").toString()));
    try {
      Answer answer = callChain(rb.build(), i);
      response = answer.response();
      who = answer.who();
      span.setAttribute(GenAi.ANSWERED_BY, who.key());
      span.setAttribute(
          GenAi.RESPONSE_MODEL, who.spec().model() == null ? who.key() : who.spec().model());
      if (!who.key().equals(modelKey)) span.setAttribute(GenAi.FALLBACK_FROM, modelKey);
      if (span.isRecording() && response.aiMessage() != null) {
        span.addEvent(
            GenAi.COMPLETION_EVENT,
            Attributes.of(
                GenAi.COMPLETION,
                ChatJson.message(compactArguments(response.aiMessage())).toString()));
      }
      TokenUsage u = response.tokenUsage();
      if (u != null && u.inputTokenCount() != null)
        span.setAttribute(GenAi.INPUT_TOKENS, (long) u.inputTokenCount());
      if (u != null && u.outputTokenCount() != null)
        span.setAttribute(GenAi.OUTPUT_TOKENS, (long) u.outputTokenCount());
      ModelSpec.PricingSpec price = who.spec().pricing();
      if (u != null && price != null) {
        long uin = u.inputTokenCount() == null ? 0 : u.inputTokenCount();
        long uout = u.outputTokenCount() == null ? 0 : u.outputTokenCount();
        span.setAttribute(
            GenAi.COST_USD,
            (uin * price.inputPerMtok() + uout * price.outputPerMtok()) / 1_000_000.0);
      }
      if (response.finishReason() != null) {
        span.setAttribute(
            GenAi.FINISH_REASONS,
            List.of(response.finishReason().name().toLowerCase(java.util.Locale.ROOT)));
      }
    } catch (ModelException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    TokenUsage usage = response.tokenUsage();
    long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    ModelSpec.PricingSpec price = who.spec().pricing();
    double cost =
        price == null
            ? 0.0
            : (in * price.inputPerMtok() + out * price.outputPerMtok()) / 1_000_000.0;
    if (!who.key().equals(modelKey)) {
      // the record names the model that answered and holds the request that model was sent
      request = request(who.key(), who.spec(), messages, i);
      hash = ChatJson.hash(request);
    }
    AiMessage ai = compactArguments(response.aiMessage());
    String finish =
        response.finishReason() == null
            ? "unknown"
            : response.finishReason().name().toLowerCase(java.util.Locale.ROOT);
    ctx.calls()
        .record(
            new CallRecord(
                ctx.runId(),
                ctx.stepKey(),
                i,
                CallKind.LLM,
                who.key(),
                hash,
                request,
                ChatJson.response(ai, in, out, cost, finish),
                new BudgetUsage(0, in, out, cost, 1, 0, took),
                at,
                took));
    budget.chargeLlmCall(in, out, cost);
    ctx.publish(
        new RunEvent.LlmCalled(ctx.runId(), at, ctx.stepKey(), who.key(), i, in, out, cost, took));
    return ai;
  }

  /**
   * {@code ai} with each tool call's arguments as compact JSON. Clients differ in how they render
   * arguments (Anthropic's blocking client pretty-prints the {@code input} object, its streaming
   * client concatenates the raw deltas); recording one form keeps streamed and blocking calls
   * identical, so a step recorded one way resumes the other way. Arguments that are not JSON are
   * kept as they are (the tool call then fails as invalid arguments).
   */
  static AiMessage compactArguments(AiMessage ai) {
    if (!ai.hasToolExecutionRequests()) return ai;
    List<ToolExecutionRequest> calls = new ArrayList<>();
    boolean changed = false;
    for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
      String args = r.arguments();
      if (args == null || args.isBlank()) {
        calls.add(r);
        continue;
      }
      String compact;
      try {
        compact = JSON.readTree(args).toString();
      } catch (JsonProcessingException e) {
        compact = args;
      }
      changed |= !compact.equals(args);
      calls.add(compact.equals(args) ? r : r.toBuilder().arguments(compact).build());
    }
    return changed ? ai.toBuilder().toolExecutionRequests(calls).build() : ai;
  }

  /**
   * One streamed call: the handler (on the client's thread) hands pieces to this thread, which
   * publishes them in order, so listeners are called on the step's thread as for other events.
   */
  /** The agent's {@code temperature:}, else the model's, else 0. */
  private double temperature(ModelSpec spec) {
    if (agent.temperature() != null) return agent.temperature();
    return spec.temperature() == null ? 0.0 : spec.temperature();
  }

  /** The candidate of {@code key} in this agent's chain, or null. */
  private @Nullable ModelCandidate candidate(String key) {
    for (ModelCandidate c : chain) if (c.key().equals(key)) return c;
    return null;
  }

  private ChatResponse stream(StreamingChatModel streaming, String key, ChatRequest request, int i)
      throws InterruptedException {
    BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    streaming.chat(
        request,
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String text) {
            if (text != null && !text.isEmpty()) signals.add(text);
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {
            signals.add(response);
          }

          @Override
          public void onError(Throwable error) {
            signals.add(error);
          }
        });
    while (true) {
      Object s = signals.poll(STREAM_POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (s == null) {
        if (ctx.isCancelled()) throw new InterruptedException("run cancelled");
      } else if (s instanceof String text) {
        tokensPublished++;
        ctx.publish(
            new RunEvent.LlmToken(ctx.runId(), ctx.clock().instant(), ctx.stepKey(), key, i, text));
      } else if (s instanceof ChatResponse response) {
        return response;
      } else if (s instanceof RuntimeException e) {
        throw e;
      } else if (s instanceof Error e) {
        throw e;
      } else {
        Throwable t = (Throwable) s;
        throw t instanceof java.io.IOException io
            ? new java.io.UncheckedIOException(io)
            : new IllegalStateException(String.valueOf(t.getMessage()), t);
      }
    }
  }

  /** The response of a call, and the model that gave it. */
  private record Answer(ModelCandidate who, ChatResponse response) {}

  /** A model not called: its circuit breaker is open, or its rate limit is reached. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    /**
     * @param reason {@code circuit_open} or {@code rate_limit}
     */
    Refused(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * One model call: to the agent's model ({@link #callWithRetries}); when that still fails with a
   * retryable error, or the model's circuit breaker is open or its rate limit is reached, to its
   * fallbacks in order, each with its own retries. A call that has streamed text is not passed on.
   * Each fallback is one warning line naming both models, without the server's words.
   *
   * @throws ModelException the step's failure, naming node, agent and every model tried, when no
   *     model answers
   */
  private Answer callChain(ChatRequest request, int i) throws InterruptedException {
    List<String> failures = new ArrayList<>();
    @Nullable Throwable cause = null;
    boolean retryable = false;
    for (int n = 0; n < chain.size(); n++) {
      ModelCandidate c = chain.get(n);
      boolean more = n + 1 < chain.size();
      int tokensBefore = tokensPublished;
      String reason;
      String brief;
      // with no fallback left, a rate-limited call waits for a permit instead of failing
      rateLimitWaits = !more;
      try {
        return new Answer(c, callWithRetries(c, request, i));
      } catch (Refused r) {
        metrics.refused(c.key(), r.reason);
        failures.add(r.getMessage());
        retryable = true;
        reason = r.reason;
        brief = r.reason.equals("rate_limit") ? "rate limit reached" : "circuit breaker open";
      } catch (ModelException e) {
        failures.add(e.getMessage());
        cause = e.getCause();
        retryable = e.retryable();
        if (!e.retryable() || tokensPublished != tokensBefore || ctx.isCancelled())
          throw failure(failures, cause, retryable);
        reason = "error";
        brief = lastBrief;
      }
      if (more) {
        ModelCandidate next = chain.get(n + 1);
        metrics.fallback(c.key(), next.key(), reason);
        log.warn(
            "model '{}' ({}): {}; falling back to model '{}' ({})",
            c.key(),
            c.label(),
            redact(brief),
            next.key(),
            next.label());
      }
    }
    throw failure(failures, cause, retryable);
  }

  private ModelException failure(
      List<String> failures, @Nullable Throwable cause, boolean retryable) {
    return new ModelException(where + ": " + String.join("; then ", failures), cause, retryable);
  }

  /**
   * One call to the model of {@code c}, made again after a retryable failure (HTTP 408, 429, 5xx, a
   * timeout, a refused or broken connection) up to {@code max_retries} times, waiting {@link
   * #retryDelay} in between; each retry is one warning line naming the model, the failure without
   * the server's words, the attempt and the delay. The clients' own retries are off (their log
   * lines carry the whole exception, server error body included). A streamed call is not retried
   * once text was delivered. Each attempt asks the model's circuit breaker and rate limiter first,
   * and tells the breaker how it went (a non-retryable failure is not counted against the model).
   *
   * @throws ModelException the failure, naming the model and cause, when the call does not succeed
   * @throws Refused when the model's circuit breaker is open, or its rate limit is reached and a
   *     fallback is left (with none left, the call waits for a permit)
   */
  private ChatResponse callWithRetries(ModelCandidate c, ChatRequest request, int i)
      throws InterruptedException, Refused {
    int attempts = 1 + Providers.maxRetries(c.spec());
    CircuitBreaker breaker = c.breaker();
    for (int attempt = 1; ; attempt++) {
      if (breaker != null && !breaker.tryAcquirePermission()) {
        ModelSpec.CircuitBreakerSpec b = c.spec().circuitBreaker();
        throw new Refused(
            "circuit_open",
            "model '"
                + c.key()
                + "' ("
                + c.label()
                + ") not called: its circuit breaker is open (at least "
                + b.failureRateOrDefault()
                + "% of its last "
                + b.windowOrDefault()
                + " calls failed; it is tried again "
                + ProviderFailure.seconds(b.openForOrDefault())
                + " after it opened)");
      }
      if (c.limiter() != null && !permit(c.limiter())) {
        if (breaker != null) breaker.releasePermission();
        throw new Refused(
            "rate_limit",
            "model '"
                + c.key()
                + "' ("
                + c.label()
                + ") not called: its rate limit of "
                + c.spec().rateLimit().calls()
                + " calls per "
                + ProviderFailure.seconds(c.spec().rateLimit().perOrDefault())
                + " is reached");
      }
      int tokensBefore = tokensPublished;
      StreamingChatModel streaming;
      ChatModel model;
      try {
        streaming = streams ? c.streaming().get() : null;
        model = streaming == null ? c.model().get() : null;
      } catch (IllegalArgumentException e) {
        if (breaker != null) breaker.releasePermission();
        throw new ModelException("model '" + c.key() + "': " + e.getMessage());
      }
      try {
        ChatResponse r = callOnce(c, streaming, model, request, i);
        if (breaker != null) breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        return r;
      } catch (InterruptedException e) {
        if (breaker != null) breaker.releasePermission();
        throw e;
      } catch (ModelException e) {
        if (breaker != null) breaker.releasePermission();
        throw new ModelException(
            "model '" + c.key() + "': " + redact(e.getMessage()), sanitized(e), e.retryable());
      } catch (RuntimeException e) {
        ProviderFailure f =
            ProviderFailure.of(
                e, c.spec().provider(), c.spec().baseUrl(), Providers.timeout(c.spec()));
        metrics.error(c.key(), f.kind());
        if (breaker != null) {
          if (f.retryable()) breaker.onError(0, TimeUnit.NANOSECONDS, e);
          else breaker.releasePermission();
        }
        boolean streamed = tokensPublished != tokensBefore;
        boolean open = breaker != null && breaker.getState() == CircuitBreaker.State.OPEN;
        if (!f.retryable() || attempt >= attempts || streamed || open || ctx.isCancelled()) {
          lastBrief = f.brief();
          throw new ModelException(
              "model '" + c.key() + "' (" + c.label() + ") call failed: " + redact(f.what()),
              sanitized(e),
              f.retryable());
        }
        Duration delay = retryDelay(attempt);
        log.warn(
            "model '{}' ({}): {} on attempt {} of {}; retrying in {} ms",
            c.key(),
            c.label(),
            redact(f.brief()),
            attempt,
            attempts,
            delay.toMillis());
        log.debug("model '{}': attempt {} failed", c.key(), attempt, sanitized(e));
        pause(delay);
      }
    }
  }

  /**
   * One call to the model of {@code c} (streamed when {@code streaming} is given), holding one of
   * its {@code max_concurrency} slots while it is in flight: a call over the limit waits for a slot
   * (fairly, first come first served), as long as the run is not cancelled.
   */
  private ChatResponse callOnce(
      ModelCandidate c,
      @Nullable StreamingChatModel streaming,
      @Nullable ChatModel model,
      ChatRequest request,
      int i)
      throws InterruptedException {
    Semaphore slots = c.slots();
    if (slots != null) takeSlot(c, slots);
    try {
      return streaming == null ? model.chat(request) : stream(streaming, c.key(), request, i);
    } finally {
      if (slots != null) slots.release();
    }
  }

  /**
   * Waits for a free slot of {@code c}'s {@code max_concurrency}; the wait is part of the step, and
   * ends (by throwing) when the thread is interrupted or the run is cancelled.
   */
  private void takeSlot(ModelCandidate c, Semaphore slots) throws InterruptedException {
    if (slots.tryAcquire(0, TimeUnit.MILLISECONDS)) return;
    log.debug(
        "model '{}': {} calls in flight (max_concurrency); waiting for a slot",
        c.key(),
        c.spec().maxConcurrency());
    while (!slots.tryAcquire(STREAM_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (ctx.isCancelled()) throw new InterruptedException("run cancelled");
    }
  }

  /**
   * A permit of {@code limiter}: at once, or, when no fallback is left ({@link #rateLimitWaits}),
   * after waiting for the next free one (at most the model's timeout).
   */
  private boolean permit(RateLimiter limiter) throws InterruptedException {
    if (!rateLimitWaits && limiter.getMetrics().getAvailablePermissions() <= 0) return false;
    long wait = limiter.reservePermission();
    if (wait < 0) return false;
    if (wait > 0) pause(Duration.ofNanos(wait));
    return true;
  }

  /** The wait before retry {@code attempt}: 0.5 s, doubling, at most 8 s. */
  static Duration retryDelay(int attempt) {
    return Duration.ofMillis(Math.min(8_000, 500L << Math.min(4, attempt - 1)));
  }

  /**
   * Waits {@code delay} on the runtime's sleeper ({@link dev.agentrt.core.spi.NodeContext#pause}),
   * returning early (by throwing) if the run is cancelled.
   */
  private void pause(Duration delay) throws InterruptedException {
    if (!ctx.pause(delay)) throw new InterruptedException("run cancelled");
  }

  /**
   * A copy of {@code e}'s cause chain with credentials removed from the messages (a server may echo
   * the key in an error body), keeping class names and stack traces.
   */
  private Throwable sanitized(Throwable e) {
    @Nullable Throwable cause =
        e.getCause() != null && e.getCause() != e ? sanitized(e.getCause()) : null;
    ModelException copy =
        new ModelException(
            e.getClass().getName() + ": " + redact(String.valueOf(e.getMessage())), cause, false);
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private List<ChatMessage> runTools(List<ToolExecutionRequest> requests)
      throws InterruptedException {
    int first = index;
    index += requests.size();
    List<Future<ToolResult>> futures = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      ToolExecutionRequest r = requests.get(k);
      JsonNode args;
      try {
        args =
            r.arguments() == null || r.arguments().isBlank()
                ? JSON.createObjectNode()
                : JSON.readTree(r.arguments());
      } catch (JsonProcessingException e) {
        args = null;
      }
      if (args == null || !args.isObject()) {
        futures.add(null);
        results.add(
            ToolResult.failure(
                ToolFailureKind.INVALID_ARGUMENTS,
                "tool '"
                    + r.name()
                    + "': arguments are not a JSON object: "
                    + clip(String.valueOf(r.arguments()))));
        continue;
      }
      budget.checkToolCall();
      if (!recipients.isEmpty() && AgentMessages.TOOL.equals(r.name())) {
        futures.add(null);
        results.add(send(first + k, args));
        continue;
      }
      ToolBus.Call inv =
          ToolBus.Call.inStep(ctx, first + k, r.name(), args)
              .byAgent(agent.name(), agent.tools() == null ? List.of() : agent.tools());
      results.add(null);
      futures.add(
          requests.size() == 1 ? null : threads.submit(Context.current().wrap(() -> call(inv))));
      if (requests.size() == 1) results.set(k, call(inv));
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      ToolResult res = results.get(k);
      if (res == null) {
        try {
          res = futures.get(k).get();
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException re) throw re;
          if (c instanceof Error err) throw err;
          throw new IllegalStateException(c);
        } catch (InterruptedException e) {
          for (Future<ToolResult> f : futures) if (f != null) f.cancel(true);
          throw e;
        }
      }
      ToolExecutionRequest r = requests.get(k);
      out.add(ToolExecutionResultMessage.from(r, text(res)));
    }
    return out;
  }

  /**
   * One {@value AgentMessages#TOOL} call: recorded with the step (kind {@code message}), kept for
   * the output.
   */
  private ToolResult send(int i, JsonNode args) {
    Instant at = ctx.clock().instant();
    String to = args.path("to").asText("");
    String text = args.path("text").asText("");
    ToolResult r;
    if (!recipients.contains(to)) {
      r =
          ToolResult.failure(
              ToolFailureKind.INVALID_ARGUMENTS,
              AgentMessages.TOOL
                  + ": unknown agent '"
                  + to
                  + "' (agents: "
                  + String.join(", ", recipients)
                  + ")");
    } else if (text.isBlank()) {
      r =
          ToolResult.failure(
              ToolFailureKind.INVALID_ARGUMENTS, AgentMessages.TOOL + ": 'text' is empty");
    } else {
      sent.add(AgentMessages.message(agent.name(), to, text, ctx.stepKey(), hop));
      r = ToolResult.success(TextNode.valueOf("message sent to " + to));
    }
    ObjectNode request =
        JSON.createObjectNode().put("from", agent.name()).put("to", to).put("text", text);
    ObjectNode response =
        r instanceof ToolResult.Failure f
            ? JSON.createObjectNode().put("error", f.message())
            : JSON.createObjectNode().put("delivered", true);
    ctx.calls()
        .recordWithStep(
            new CallRecord(
                ctx.runId(),
                ctx.stepKey(),
                i,
                CallKind.MESSAGE,
                AgentMessages.TOOL,
                ChatJson.hash(request),
                request,
                response,
                new BudgetUsage(0, 0, 0, 0, 0, 1, Duration.ZERO),
                at,
                Duration.ZERO));
    budget.chargeToolCall();
    ctx.publish(
        new RunEvent.ToolCalled(
            ctx.runId(),
            at,
            ctx.stepKey(),
            AgentMessages.TOOL,
            i,
            r instanceof ToolResult.Failure f ? f.kind() : null,
            Duration.ZERO));
    return r;
  }

  private ToolResult call(ToolBus.Call inv) {
    Instant at = ctx.clock().instant();
    long t0 = System.nanoTime();
    ToolResult r = bus.call(inv, null);
    budget.chargeToolCall();
    ctx.publish(
        new RunEvent.ToolCalled(
            ctx.runId(),
            at,
            ctx.stepKey(),
            inv.tool(),
            inv.index(),
            r instanceof ToolResult.Failure f ? f.kind() : null,
            Duration.ofNanos(System.nanoTime() - t0)));
    return r;
  }

  private static String text(ToolResult r) {
    if (r instanceof ToolResult.Success s)
      return s.value().isTextual() ? s.value().asText() : s.value().toString();
    ToolResult.Failure f = (ToolResult.Failure) r;
    return "error (" + f.kind().name().toLowerCase(java.util.Locale.ROOT) + "): " + f.message();
  }

  /** The text inside a Markdown code fence ({@code ```json ... ```}), or the text itself. */
  static String stripFence(String text) {
    String t = text.strip();
    if (!t.startsWith("```") || t.length() < 6 || !t.endsWith("```")) return t;
    t = t.substring(3, t.length() - 3);
    int i = 0;
    while (i < t.length() && Character.isLetter(t.charAt(i))) i++;
    return t.substring(i).strip();
  }

  private static String clip(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private String redact(String s) {
    return redactor.redact(s);
  }
}
