package dev.agentrt.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory API's values: what they accept, what they refuse (and say), what they copy. */
class MemoryValuesTest {

  @Test
  void scopesAndModes_parseTheirConfigNames_andNameTheChoicesOtherwise() {
    for (MemoryScope s : MemoryScope.values()) {
      assertThat(MemoryScope.parse(s.configName())).isSameAs(s);
    }
    assertThat(MemoryScope.TASK.configName()).isEqualTo("task");
    assertThatThrownBy(() -> MemoryScope.parse("Project"))
        .hasMessage("unknown memory scope 'Project' (scopes: task, project, global)");
    for (SearchMode m : SearchMode.values()) {
      assertThat(SearchMode.parse(m.configName())).isSameAs(m);
    }
    assertThatThrownBy(() -> SearchMode.parse("bm25"))
        .hasMessage("unknown search mode 'bm25' (modes: sparse, dense, hybrid)");
  }

  @Test
  void spaces_haveAnOwner() {
    assertThat(MemorySpace.task("r1")).isEqualTo(new MemorySpace(MemoryScope.TASK, "r1"));
    assertThat(MemorySpace.global().owner()).isEqualTo(MemorySpace.GLOBAL_OWNER);
    assertThat(MemorySpace.project("p").scope()).isEqualTo(MemoryScope.PROJECT);
    assertThatThrownBy(() -> MemorySpace.task(" "))
        .hasMessage("the owner of a space must not be blank");
  }

  @Test
  void write_checksKeyTextAndTags_andCopiesWhatItHolds() {
    assertThatThrownBy(() -> MemoryWrite.of(" ", "t")).hasMessage("a memory key must not be blank");
    assertThatThrownBy(() -> MemoryWrite.of("k".repeat(513), "t"))
        .hasMessage("a memory key is at most 512 characters, got 513");
    assertThat(MemoryWrite.of("k".repeat(512), "t").key()).hasSize(512);
    assertThatThrownBy(() -> MemoryWrite.of("k", "x".repeat(MemoryWrite.MAX_TEXT_LENGTH + 1)))
        .hasMessage("a memory text is at most 1000000 characters, got 1000001");
    assertThatThrownBy(() -> new MemoryWrite("k", "t", null, List.of("a", " ")))
        .hasMessage("a memory tag must not be null or blank");

    ObjectNode meta = JsonNodeFactory.instance.objectNode().put("lang", "en");
    List<String> tags = new ArrayList<>(List.of("a"));
    MemoryWrite w = new MemoryWrite("k", "t", meta, tags);
    meta.put("lang", "de");
    tags.add("b");
    assertThat(w.metadata().get("lang").asText()).isEqualTo("en");
    assertThat(w.tags()).containsExactly("a");
    assertThat(MemoryWrite.of("k", "t").metadata().isEmpty()).isTrue();
    assertThat(MemoryWrite.of("k", "t").tags()).isEmpty();
  }

  @Test
  void query_hasDefaults_andRefusesWhatCannotBeSearched() {
    MemoryQuery q = MemoryQuery.of("cache eviction", MemorySpace.global());
    assertThat(q.k()).isEqualTo(10);
    assertThat(q.mode()).isNull();
    assertThat(q.fusion()).isEqualTo(new Fusion.ReciprocalRank(60));
    assertThat(q.rerankFactor()).isEqualTo(MemoryQuery.DEFAULT_RERANK_FACTOR);
    assertThat(q.filter().isEmpty()).isTrue();

    MemoryQuery changed =
        q.withK(3)
            .withMode(SearchMode.SPARSE)
            .withFusion(new Fusion.Weighted(0.7, 0.3))
            .withRerankFactor(2)
            .withFilter(MemoryFilter.NONE.tag("x"));
    assertThat(changed)
        .isEqualTo(
            new MemoryQuery(
                "cache eviction",
                3,
                List.of(MemorySpace.global()),
                SearchMode.SPARSE,
                MemoryFilter.NONE.tag("x"),
                new Fusion.Weighted(0.7, 0.3),
                2));

    assertThatThrownBy(() -> MemoryQuery.of(" ", MemorySpace.global()))
        .hasMessage("a memory search needs a query text");
    assertThatThrownBy(() -> q.withK(0)).hasMessage("k must be between 1 and 1000, got 0");
    assertThatThrownBy(() -> q.withK(1001)).hasMessage("k must be between 1 and 1000, got 1001");
    assertThatThrownBy(() -> q.withRerankFactor(0))
        .hasMessage("rerank_factor must be at least 1, got 0");
    assertThatThrownBy(() -> MemoryQuery.of("x"))
        .hasMessage("a memory search needs at least one space");
  }

  @Test
  void fusionSettings_refuseMeaninglessValues() {
    assertThatThrownBy(() -> new Fusion.ReciprocalRank(0))
        .hasMessage("rrf_k must be at least 1, got 0");
    assertThatThrownBy(() -> new Fusion.Weighted(0, 0))
        .hasMessageContaining("must be at least 0 and not both 0");
    assertThatThrownBy(() -> new Fusion.Weighted(-1, 2))
        .hasMessageContaining("must be at least 0 and not both 0");
    assertThatThrownBy(() -> new Fusion.Weighted(Double.NaN, 1))
        .hasMessageContaining("must be at least 0 and not both 0");
  }

  @Test
  void filter_combinesConditions_inAStableOrder() {
    MemoryFilter f =
        MemoryFilter.NONE.eq("lang", "en").in("kind", List.of("note", "fact")).tag("a").tag("b");
    assertThat(f.metadata().keySet()).containsExactly("kind", "lang");
    assertThat(f.metadata().get("kind")).containsExactlyInAnyOrder("note", "fact");
    assertThat(f.tags()).containsExactlyInAnyOrder("a", "b");
    assertThat(f.isEmpty()).isFalse();
    assertThat(MemoryFilter.NONE.eq("lang", "de").eq("lang", "en").metadata().get("lang"))
        .containsExactly("en");
    assertThatThrownBy(() -> MemoryFilter.NONE.in("kind", List.of()))
        .hasMessage("filter on 'kind' lists no value: no item could pass");
  }

  @Test
  void unavailableStore_refusesEveryOperationWithItsReason() {
    MemoryStore none = MemoryStore.unavailable("no memory: add agent-memory");
    MemorySpace g = MemorySpace.global();
    assertThatThrownBy(() -> none.put(g, MemoryWrite.of("k", "t")))
        .isInstanceOf(MemoryException.class)
        .hasMessage("no memory: add agent-memory");
    assertThatThrownBy(() -> none.get(g, "k")).isInstanceOf(MemoryException.class);
    assertThatThrownBy(() -> none.delete(g, "k")).isInstanceOf(MemoryException.class);
    assertThatThrownBy(() -> none.search(MemoryQuery.of("x", g)))
        .isInstanceOf(MemoryException.class);
    assertThatThrownBy(none::prune).isInstanceOf(MemoryException.class);
    none.close();
  }
}
