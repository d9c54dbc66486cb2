package dev.agentrt.memory.internal.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentrt.core.memory.MemoryException;
import dev.agentrt.core.memory.MemoryItem;
import dev.agentrt.core.memory.MemoryScope;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.spi.MemoryStoreProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jsonl} memory backend: one append-only JSON Lines file per space ({@code
 * <scope>-<owner>.jsonl} in the scope's directory), each line a {@code put} or {@code delete}
 * record, forced to disk ({@link FileChannel#force}) before a write returns. On open every file of
 * the backend's scopes is replayed into memory; a torn last line (a crash in the middle of a write,
 * which therefore never returned) is dropped with a warning and cut off the file. The change number
 * ({@link #seq()}) is the number of records in the files, so it is durable with every append.
 *
 * <p>A file holding mostly dead records (replaced or deleted items) is compacted: rewritten with
 * its live items after an {@code offset} line that keeps the change number, and moved over the old
 * file atomically.
 */
final class JsonlMemoryStore extends IndexedStore {
  private static final Logger log = LoggerFactory.getLogger(JsonlMemoryStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAFE_OWNER = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

  private final Path dir;
  private final Map<MemorySpace, Map<String, Stored>> items = new TreeMap<>(SPACES);

  /**
   * The change number: how many records the files hold, plus the offsets of compacted files;
   * replayed on open, then appended. Compaction leaves it unchanged (see {@link #compact}).
   */
  private long records;

  /** How many records each file holds (its lines after a compaction's offset line). */
  private final Map<Path, Long> lines = new HashMap<>();

  /** The records each file dropped in its compactions (its offset line), counted in the seq. */
  private final Map<Path, Long> offsets = new HashMap<>();

  /**
   * A space's file is rewritten with its live items only once it holds at least this many records
   * and more than twice as many as it has live items.
   */
  static final long COMPACT_AT = 1024;

  private static final Comparator<MemorySpace> SPACES =
      Comparator.comparing(MemorySpace::scope).thenComparing(MemorySpace::owner);

  private JsonlMemoryStore(Path dir, MemoryStoreProvider.Setup setup) {
    super("memory store " + dir, setup);
    this.dir = dir;
  }

  /** Replays the files of {@code setup.scopes()} in {@code dir} and opens the index. */
  static JsonlMemoryStore open(
      Path dir, MemoryStoreProvider.Setup setup, SearchIndexFactory factory, Path indexDir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MemoryException(
          "memory store "
              + dir
              + ": cannot create the directory ("
              + e
              + ") (check that this process may write there, or set memory.<scope>.path)",
          e);
    }
    JsonlMemoryStore s = new JsonlMemoryStore(dir, setup);
    synchronized (s) {
      for (MemoryScope scope : new TreeMap<>(setup.scopes()).keySet()) s.replayScope(scope);
      s.openIndex(factory, indexDir);
    }
    return s;
  }

  /** The file of {@code space}: the owner as it is when it is a safe file name, else its hash. */
  Path file(MemorySpace space) {
    String owner = space.owner();
    String name = SAFE_OWNER.matcher(owner).matches() ? owner : "h" + sha256(owner);
    return dir.resolve(space.scope().configName() + "-" + name + ".jsonl");
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private void replayScope(MemoryScope scope) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(dir, scope.configName() + "-*.jsonl")) {
      for (Path f : ds) files.add(f);
    } catch (IOException e) {
      throw new MemoryException("memory store " + dir + ": cannot list the directory: " + e, e);
    }
    files.sort(Comparator.naturalOrder());
    for (Path f : files) replay(f, scope);
    for (Path f : files) deleteIfExists(compacting(f)); // a compaction cut off by a crash
  }

  /** The file a compaction of {@code f} writes before it replaces {@code f} with it. */
  private static Path compacting(Path f) {
    return f.resolveSibling(f.getFileName() + ".compacting");
  }

  private static void deleteIfExists(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new MemoryException("memory store " + f + ": cannot delete: " + e, e);
    }
  }

  private void replay(Path f, MemoryScope scope) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new MemoryException("memory store " + f + ": cannot read: " + e, e);
    }
    int start = 0;
    int line = 0;
    while (start < bytes.length) {
      int nl = indexOf(bytes, (byte) '\n', start);
      line++;
      if (nl < 0) {
        log.warn(
            "memory store {}: line {} is incomplete (a write was cut off by a crash); it is"
                + " dropped",
            f,
            line);
        truncate(f, start);
        return;
      }
      String text = new String(bytes, start, nl - start, StandardCharsets.UTF_8);
      start = nl + 1;
      if (text.isBlank()) continue;
      try {
        JsonNode r = JSON.readTree(text);
        if (line == 1 && "offset".equals(r.path("op").asText())) {
          long dropped = r.path("records").asLong(); // what compactions took out of the file
          records += dropped;
          offsets.put(f, dropped);
          continue;
        }
        apply(r, scope);
        records++;
        lines.merge(f, 1L, Long::sum);
      } catch (JsonProcessingException | RuntimeException e) {
        throw new MemoryException(
            "memory store "
                + f
                + ":"
                + line
                + ": not a memory record ("
                + e.getMessage()
                + ") (restore the file from a backup, or remove the line)",
            e);
      }
    }
  }

  private static int indexOf(byte[] b, byte x, int from) {
    for (int i = from; i < b.length; i++) if (b[i] == x) return i;
    return -1;
  }

  private static void truncate(Path f, long size) {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    } catch (IOException e) {
      throw new MemoryException(
          "memory store " + f + ": cannot cut off its incomplete last line: " + e, e);
    }
  }

  private void apply(JsonNode r, MemoryScope expected) {
    MemorySpace space =
        new MemorySpace(MemoryScope.parse(r.get("scope").asText()), text(r, "owner"));
    if (space.scope() != expected)
      throw new IllegalArgumentException("a record of scope " + space.scope().configName());
    String key = text(r, "key");
    String op = text(r, "op");
    switch (op) {
      case "put" -> {
        JsonNode v = r.get("vector");
        float[] vector =
            v == null || v.isNull() ? null : Vectors.floats(Base64.getDecoder().decode(v.asText()));
        List<String> tags = new ArrayList<>();
        r.path("tags").forEach(t -> tags.add(t.asText()));
        JsonNode meta = r.get("metadata");
        MemoryItem item =
            new MemoryItem(
                space,
                key,
                text(r, "text"),
                meta instanceof ObjectNode o ? o : null,
                tags,
                Instant.parse(text(r, "created")),
                Instant.parse(text(r, "updated")));
        String model = r.hasNonNull("model") ? r.get("model").asText() : null;
        items
            .computeIfAbsent(space, x -> new TreeMap<>())
            .put(key, new Stored(item, vector, model));
      }
      case "delete" -> remove(space, key);
      default -> throw new IllegalArgumentException("unknown op '" + op + "'");
    }
  }

  private static String text(JsonNode r, String field) {
    JsonNode n = r.get(field);
    if (n == null || !n.isTextual()) throw new IllegalArgumentException("no '" + field + "'");
    return n.asText();
  }

  private @Nullable Stored remove(MemorySpace space, String key) {
    Map<String, Stored> m = items.get(space);
    if (m == null) return null;
    Stored old = m.remove(key);
    if (m.isEmpty()) items.remove(space);
    return old;
  }

  private static String putLine(Stored s) {
    MemoryItem i = s.item();
    ObjectNode r = JSON.createObjectNode();
    r.put("op", "put");
    r.put("scope", i.space().scope().configName());
    r.put("owner", i.space().owner());
    r.put("key", i.key());
    r.put("text", i.text());
    r.set("metadata", i.metadata());
    ArrayNode tags = r.putArray("tags");
    i.tags().forEach(tags::add);
    r.put("created", i.created().toString());
    r.put("updated", i.updated().toString());
    float[] v = s.vector();
    if (v != null) {
      r.put("vector", Base64.getEncoder().encodeToString(Vectors.bytes(v)));
      r.put("model", s.model());
    }
    return r.toString();
  }

  private static String deleteLine(MemorySpace space, String key) {
    ObjectNode r = JSON.createObjectNode();
    r.put("op", "delete");
    r.put("scope", space.scope().configName());
    r.put("owner", space.owner());
    r.put("key", key);
    return r.toString();
  }

  /** Appends {@code lines} to the file of {@code space} in one write, then forces it to disk. */
  private void append(MemorySpace space, List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) sb.append(l).append('\n');
    Path f = file(space);
    try (FileChannel ch =
        FileChannel.open(
            f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) ch.write(b);
      ch.force(false);
      records += lines.size();
      this.lines.merge(f, (long) lines.size(), Long::sum);
    } catch (IOException e) {
      throw new MemoryException(
          "memory store " + f + ": cannot write: " + e + " (check the disk and its permissions)",
          e);
    }
  }

  @Override
  @Nullable Stored read(MemorySpace space, String key) {
    Map<String, Stored> m = items.get(space);
    return m == null ? null : m.get(key);
  }

  @Override
  List<Gone> upsert(MemorySpace space, List<Stored> written, @Nullable Long maxItems) {
    Map<String, Stored> after = new TreeMap<>(items.getOrDefault(space, Map.of()));
    List<String> lines = new ArrayList<>();
    for (Stored s : written) {
      after.put(s.item().key(), s);
      lines.add(putLine(s));
    }
    List<Gone> gone = maxItems == null ? List.of() : oldest(space, after, maxItems);
    for (Gone g : gone) lines.add(deleteLine(space, g.key()));
    append(space, lines); // durable first: memory changes only when the file has them
    for (Stored s : written)
      items.computeIfAbsent(space, x -> new TreeMap<>()).put(s.item().key(), s);
    for (Gone g : gone) remove(space, g.key());
    compactIfMostlyDead(space);
    return gone;
  }

  /**
   * Rewrites the file of {@code space} with its live items once it holds at least {@value
   * #COMPACT_AT} records and more than twice as many as live items (updates and deletes of an
   * append-only file otherwise grow it, and the replay on open, without bound).
   */
  private void compactIfMostlyDead(MemorySpace space) {
    Path f = file(space);
    long held = lines.getOrDefault(f, 0L);
    Map<String, Stored> live = items.getOrDefault(space, Map.of());
    if (held >= COMPACT_AT && held > 2L * live.size()) compact(f, live.values());
  }

  /**
   * Replaces {@code f} with an offset line and one put record per live item: written to a sibling
   * file, forced, then moved over {@code f} atomically, so a crash leaves either file whole. The
   * offset line carries the records the file drops, so {@link #seq()} (the index's label) does not
   * change: the items, and therefore the index, are the same before and after.
   */
  private void compact(Path f, java.util.Collection<Stored> live) {
    long held = lines.getOrDefault(f, 0L);
    long dropped = offsets.getOrDefault(f, 0L) + held - live.size();
    Path tmp = compacting(f);
    StringBuilder sb = new StringBuilder();
    sb.append(JSON.createObjectNode().put("op", "offset").put("records", dropped));
    sb.append('\n');
    for (Stored s : live) sb.append(putLine(s)).append('\n');
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(f.getParent());
    } catch (IOException e) {
      // the file is as it was: compaction is retried after the next change
      log.warn(
          "memory store {}: compaction failed, the file keeps its records: {}", f, e.toString());
      deleteIfExists(tmp);
      return;
    }
    lines.put(f, (long) live.size());
    offsets.put(f, dropped);
  }

  /** Makes a rename in {@code dir} durable (a no-op where directories cannot be opened). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its renames are durable when they return
    }
  }

  /** The items beyond {@code maxItems} in {@code m}, oldest first (by updated time, then key). */
  private static List<Gone> oldest(MemorySpace space, Map<String, Stored> m, long maxItems) {
    if (m.size() <= maxItems) return List.of();
    List<Stored> sorted = new ArrayList<>(m.values());
    sorted.sort(
        Comparator.comparing((Stored s) -> s.item().updated()).thenComparing(s -> s.item().key()));
    List<Gone> out = new ArrayList<>();
    for (Stored s : sorted.subList(0, (int) (m.size() - maxItems)))
      out.add(new Gone(space, s.item().key(), s.modelKey()));
    return out;
  }

  @Override
  boolean erase(MemorySpace space, String key) {
    if (read(space, key) == null) return false;
    append(space, List.of(deleteLine(space, key)));
    remove(space, key);
    compactIfMostlyDead(space);
    return true;
  }

  @Override
  List<Gone> prune(MemoryScope scope, @Nullable Instant cutoff, @Nullable Long maxItems) {
    List<Gone> gone = new ArrayList<>();
    for (MemorySpace space : new ArrayList<>(items.keySet())) {
      if (space.scope() != scope) continue;
      Map<String, Stored> m = new TreeMap<>(items.get(space));
      List<Gone> here = new ArrayList<>();
      if (cutoff != null) {
        for (Stored s : m.values())
          if (s.item().updated().isBefore(cutoff))
            here.add(new Gone(space, s.item().key(), s.modelKey()));
        for (Gone g : here) m.remove(g.key());
      }
      if (maxItems != null) here.addAll(oldest(space, m, maxItems));
      if (here.isEmpty()) continue;
      List<String> lines = new ArrayList<>();
      for (Gone g : here) lines.add(deleteLine(space, g.key()));
      append(space, lines);
      for (Gone g : here) remove(space, g.key());
      compactIfMostlyDead(space);
      gone.addAll(here);
    }
    return gone;
  }

  @Override
  List<Stored> all() {
    List<Stored> out = new ArrayList<>();
    for (Map<String, Stored> m : items.values()) out.addAll(m.values());
    return out;
  }

  @Override
  long seq() {
    return records;
  }

  @Override
  int count() {
    int n = 0;
    for (Map<String, Stored> m : items.values()) n += m.size();
    return n;
  }

  @Override
  Map<String, Integer> modelCounts() {
    Map<String, Integer> out = new TreeMap<>();
    for (Stored s : all()) {
      String k = s.modelKey();
      if (k != null) out.merge(k, 1, Integer::sum);
    }
    return out;
  }

  @Override
  void closeStorage() {
    items.clear();
    lines.clear();
    offsets.clear();
  }
}
