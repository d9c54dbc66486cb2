package dev.agentrt.memory.internal.memory;

import dev.agentrt.core.memory.MemoryHit;
import dev.agentrt.core.memory.MemoryQuery;
import dev.agentrt.core.memory.MemorySpace;
import dev.agentrt.core.memory.MemoryWrite;
import dev.agentrt.core.memory.SearchMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for {@link MemoryRestartIT}: {@code <backend> <dir> write} writes three items and
 * halts without closing anything (as a crash would); {@code <backend> <dir> read} prints what it
 * finds, writes one more item and halts. With the on-disk Lucene index: {@code <backend> <dir>
 * update-halt} writes three items and closes the store (the index commits them), reopens it, then
 * updates {@code k2} and halts right after storage committed the update, before the index has it;
 * {@code <backend> <dir> search} prints what a sparse search finds and how many times the index was
 * rebuilt on open.
 */
public final class MemoryRestartMain {
  private MemoryRestartMain() {}

  public static void main(String[] args) {
    String backend = args[0];
    Path dir = Path.of(args[1]);
    MemorySpace project = MemorySpace.project("shop");
    if (args[2].equals("update-halt") || args[2].equals("search")) {
      lucene(backend, dir, project, args[2]);
      return;
    }
    IndexedStore s =
        Backends.open(
            backend,
            Backends.setup(
                dir, backend, null, null, new Backends.LetterEmbedder(), Clock.systemUTC()),
            new ScanSearchIndex.Factory());
    if (args[2].equals("write")) {
      for (int i = 1; i <= 3; i++) s.put(project, MemoryWrite.of("k" + i, "note number " + i));
      System.out.println("written");
    } else {
      System.out.println("count " + s.count());
      System.out.println("k2 " + s.get(project, "k2").map(i -> i.text()).orElse("-"));
      List<String> keys = new ArrayList<>();
      for (MemoryHit h : s.search(MemoryQuery.of("note", project).withK(10)))
        keys.add(h.item().key());
      System.out.println("hits " + String.join(",", keys));
      s.put(project, MemoryWrite.of("k" + (s.count() + 1), "note number " + (s.count() + 1)));
      System.out.println("wrote");
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void lucene(String backend, Path dir, MemorySpace project, String mode) {
    CrashWindowIndexes indexes = new CrashWindowIndexes();
    IndexedStore s = openLucene(backend, dir, indexes);
    if (mode.equals("update-halt")) {
      for (int i = 1; i <= 3; i++) s.put(project, MemoryWrite.of("k" + i, "note number " + i));
      s.close();
      s = openLucene(backend, dir, indexes);
      indexes.haltOnChange = true;
      s.put(project, MemoryWrite.of("k2", "fresh apples"));
      System.out.println("not halted");
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
    System.out.println("rebuilds " + indexes.rebuilds.get());
    System.out.println("count " + s.count());
    System.out.println("apples " + sparse(s, project, "apples"));
    System.out.println("number " + sparse(s, project, "number"));
    s.close();
    System.out.flush();
  }

  private static IndexedStore openLucene(String backend, Path dir, CrashWindowIndexes indexes) {
    return Backends.open(
        backend,
        Backends.setup(dir, backend, null, null, new Backends.LetterEmbedder(), Clock.systemUTC()),
        indexes);
  }

  private static String sparse(IndexedStore s, MemorySpace project, String text) {
    List<String> hits = new ArrayList<>();
    for (MemoryHit h :
        s.search(MemoryQuery.of(text, project).withK(10).withMode(SearchMode.SPARSE)))
      hits.add(h.item().key() + "=" + h.item().text());
    return String.join(",", hits);
  }
}
