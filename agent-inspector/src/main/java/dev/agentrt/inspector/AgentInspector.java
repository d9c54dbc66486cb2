package dev.agentrt.inspector;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.inspector.internal.InspectorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A read-only local web page over a runtime's checkpoint store and its live events: the runs, a
 * run's timeline with its steps, LLM and tool calls, the workflow graph with the path taken, and
 * the registry of agents, tools and models. See {@code docs/inspector.md} for the pages and the
 * JSON API behind them.
 *
 * <pre>{@code
 * try (AgentInspector inspector = AgentInspector.start(runtime, 7070)) {
 *   System.out.println("inspector at " + inspector.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>The server binds to {@code 127.0.0.1} unless {@link Builder#bindAddress} says otherwise. It
 * never writes to the store. Closing the inspector stops the server and ends the event streams; the
 * runtime stays open.
 *
 * @since 0.1
 */
public final class AgentInspector implements AutoCloseable {

  /**
   * What the pages show of contents (prompts, answers, tool arguments and results, inputs and
   * outputs).
   *
   * @since 0.1
   */
  public enum Mode {
    /** Metadata only: contents are hidden. */
    SHIPPING,
    /** Contents are shown, with known secrets and {@code telemetry.redact} patterns masked. */
    DEBUG;

    /** The mode named {@code shipping} or {@code debug} (any case). */
    public static Mode of(String name) {
      Objects.requireNonNull(name, "name");
      return switch (name.strip().toLowerCase(Locale.ROOT)) {
        case "shipping" -> SHIPPING;
        case "debug" -> DEBUG;
        default ->
            throw new IllegalArgumentException(
                "unknown inspector mode '" + name + "': use 'shipping' or 'debug'");
      };
    }
  }

  private final InspectorServer server;

  private AgentInspector(InspectorServer server) {
    this.server = server;
  }

  /**
   * Starts an inspector of {@code runtime} on {@code 127.0.0.1:port} ({@code 0}: a free port), in
   * the mode the runtime's configuration gives.
   *
   * @throws UncheckedIOException if the port cannot be bound (the message names it)
   */
  public static AgentInspector start(AgentRuntime runtime, int port) {
    return builder(runtime).port(port).start();
  }

  /** A builder of an inspector of {@code runtime}. */
  public static Builder builder(AgentRuntime runtime) {
    return new Builder(runtime);
  }

  /** The page's address, such as {@code http://127.0.0.1:7070/}. */
  public URI uri() {
    return server.uri();
  }

  /** The port bound (the one chosen when {@code 0} was asked). */
  public int port() {
    return server.port();
  }

  /** The mode the pages are in. */
  public Mode mode() {
    return server.mode();
  }

  /** Stops the server and closes the event streams; idempotent. The runtime stays open. */
  @Override
  public void close() {
    server.close();
  }

  /**
   * Options of an inspector.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final AgentRuntime runtime;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = 7070;
    private @Nullable Mode mode;

    private Builder(AgentRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** The port, {@code 7070} by default; {@code 0} for a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
      this.port = port;
      return this;
    }

    /**
     * The address to bind, the loopback address by default. Another address exposes the runs'
     * contents to the network: the inspector has no authentication.
     */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * What the pages show; by default {@code AGENTRT_OBS_MODE}, else {@code telemetry.mode} of
     * {@code config.yml}, else {@link Mode#SHIPPING}.
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws UncheckedIOException if the address cannot be bound (the message names it)
     */
    public AgentInspector start() {
      InetSocketAddress address = new InetSocketAddress(bindAddress, port);
      try {
        return new AgentInspector(InspectorServer.start(runtime, address, mode));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot start the inspector on "
                + bindAddress.getHostAddress()
                + ":"
                + port
                + ": "
                + e.getMessage()
                + (port == 0 ? "" : " (is the port in use? choose another with --port)"),
            e);
      }
    }
  }
}
