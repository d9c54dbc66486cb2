package dev.agentrt.core.manifest;

import dev.agentrt.core.spi.ToolDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The capability registry of a configuration: the agents, tools and workflow nodes, each with its
 * description and capability tags, and what each node provides to {@code requires:}.
 *
 * <pre>{@code
 * Capabilities caps = Capabilities.of(manifests, toolBus.descriptors());
 * Set<String> tags = caps.provides(node);             // [code, files, specialist]
 * boolean fits = caps.satisfies(node, List.of("specialist"));
 * }</pre>
 *
 * <p>A node provides its own {@code tags:}, the tags of its agent ({@code kind: agent}) and the
 * tags of its tool ({@code kind: tool}); a tool's tags are its {@link ToolDescriptor#tags()}. A
 * node's {@code requires:} lists tags that something in the configuration must provide (checked
 * when the configuration is loaded); a {@code kind: router} node considers only the edges whose
 * target {@link #satisfies satisfies} its {@code requires:}.
 *
 * <p>Tags are lower-case identifiers ({@link #TAG_PATTERN}). Immutable and thread-safe; the sets
 * and lists it returns are unmodifiable and sorted (entries: agents, then tools, then nodes).
 *
 * @since 0.1
 */
public final class Capabilities {
  /**
   * The syntax of a capability tag: a lower-case letter, then lower-case letters, digits, {@code _}
   * or {@code -} ({@code code}, {@code data-transform}).
   */
  public static final String TAG_PATTERN = "[a-z][a-z0-9_-]*";

  /** The message of a tag that does not match {@link #TAG_PATTERN}. */
  static final String TAG_MESSAGE =
      "must be a lower-case identifier: a letter, then lower-case letters, digits, '_' or '-'";

  private static final Pattern TAG = Pattern.compile(TAG_PATTERN);

  private final Map<String, AgentSpec> agents;
  private final Map<String, ToolDescriptor> tools;
  private final List<Entry> entries;
  private final SortedSet<String> tags;

  private Capabilities(Manifests manifests, Collection<ToolDescriptor> tools) {
    this.agents = manifests.agents();
    Map<String, ToolDescriptor> byName = new TreeMap<>();
    for (ToolDescriptor d : tools) byName.putIfAbsent(d.name(), d);
    this.tools = Collections.unmodifiableMap(byName);
    List<Entry> all = new ArrayList<>();
    SortedSet<String> every = new TreeSet<>();
    for (AgentSpec a : new TreeMap<>(agents).values()) {
      SortedSet<String> own = tagSet(a.tags());
      every.addAll(own);
      all.add(new Entry(Kind.AGENT, a.name(), null, a.description(), own, List.of()));
    }
    for (ToolDescriptor d : this.tools.values()) {
      SortedSet<String> own = tagSet(d.tags());
      every.addAll(own);
      all.add(new Entry(Kind.TOOL, d.name(), null, d.description(), own, List.of()));
    }
    for (WorkflowSpec wf : new TreeMap<>(manifests.workflows()).values()) {
      if (wf.nodes() == null) continue;
      for (NodeSpec n : wf.nodes()) {
        if (n == null || n.id() == null) continue;
        every.addAll(tagSet(n.tags()));
        boolean listed = n.kind() != null || n.tags() != null || n.requires() != null;
        if (!listed) continue;
        all.add(
            new Entry(
                Kind.NODE,
                n.id(),
                wf.id(),
                n.description(),
                provides(n),
                List.copyOf(tagSet(n.requires()))));
      }
    }
    this.entries = List.copyOf(all);
    this.tags = Collections.unmodifiableSortedSet(every);
  }

  /**
   * The registry of {@code manifests} with {@code tools} (a runtime's tool bus {@link
   * dev.agentrt.core.spi.ToolBus#descriptors() descriptors}; the first of two tools with one name
   * counts).
   */
  public static Capabilities of(Manifests manifests, Collection<ToolDescriptor> tools) {
    Objects.requireNonNull(manifests, "manifests");
    Objects.requireNonNull(tools, "tools");
    return new Capabilities(manifests, tools);
  }

  /** Whether {@code text} is a capability tag: it matches {@link #TAG_PATTERN}. */
  public static boolean isTag(String text) {
    return TAG.matcher(Objects.requireNonNull(text, "text")).matches();
  }

  /**
   * The tags {@code node} provides: its own {@code tags:}, its agent's tags ({@code kind: agent})
   * and its tool's tags ({@code kind: tool}); an agent or tool this registry does not know adds
   * none.
   */
  public SortedSet<String> provides(NodeSpec node) {
    Objects.requireNonNull(node, "node");
    SortedSet<String> out = new TreeSet<>(tagSet(node.tags()));
    if ("agent".equals(node.kind()) && node.agent() != null) {
      AgentSpec a = agents.get(node.agent());
      if (a != null) out.addAll(tagSet(a.tags()));
    }
    if ("tool".equals(node.kind()) && node.tool() != null) {
      ToolDescriptor d = tools.get(node.tool());
      if (d != null) out.addAll(d.tags());
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /** Whether {@code node} {@link #provides} every tag of {@code required} (true if it is empty). */
  public boolean satisfies(NodeSpec node, Collection<String> required) {
    Objects.requireNonNull(required, "required");
    return provides(node).containsAll(required);
  }

  /**
   * Every tag something provides: the tags of every agent, every tool and every node of every
   * workflow.
   */
  public SortedSet<String> tags() {
    return tags;
  }

  /**
   * Every agent (by name), every tool (by name), then the nodes of every workflow (by workflow id,
   * then in file order) that have a {@code kind:}, {@code tags:} or {@code requires:} (role-only
   * nodes such as {@code start} and {@code exit} without tags are left out).
   */
  public List<Entry> entries() {
    return entries;
  }

  /** The entries of one kind, in the order of {@link #entries()}. */
  public List<Entry> entries(Kind kind) {
    Objects.requireNonNull(kind, "kind");
    return entries.stream().filter(e -> e.kind() == kind).toList();
  }

  /** The non-null tags of a list, sorted and each once. */
  private static SortedSet<String> tagSet(@Nullable Collection<String> tags) {
    SortedSet<String> out = new TreeSet<>();
    if (tags != null) for (String t : tags) if (t != null) out.add(t);
    return out;
  }

  @Override
  public String toString() {
    Map<Kind, Integer> counts = new LinkedHashMap<>();
    for (Entry e : entries) counts.merge(e.kind(), 1, Integer::sum);
    return "Capabilities{" + counts + ", tags=" + tags + "}";
  }

  /**
   * What an {@link Entry} is.
   *
   * @since 0.1
   */
  public enum Kind {
    /** An agent of {@code agents/}. */
    AGENT,
    /** A tool of the tool bus. */
    TOOL,
    /** A node of a workflow. */
    NODE
  }

  /**
   * One agent, tool or workflow node of the registry.
   *
   * @param kind what it is
   * @param id the agent's name, the tool's name or the node's id
   * @param workflow the workflow of a node; null for agents and tools
   * @param description its {@code description:} (a tool's descriptor's); null when it has none
   * @param tags the tags it provides, sorted (a node's: see {@link Capabilities#provides})
   * @param requires a node's {@code requires:}, sorted; empty for agents and tools
   * @since 0.1
   */
  public record Entry(
      Kind kind,
      String id,
      @Nullable String workflow,
      @Nullable String description,
      Set<String> tags,
      List<String> requires) {
    public Entry {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
      tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
      requires = List.copyOf(requires);
    }
  }
}
