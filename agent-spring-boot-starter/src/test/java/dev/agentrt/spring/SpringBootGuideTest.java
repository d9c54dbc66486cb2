package dev.agentrt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/spring-boot.md's properties table lists exactly the properties {@link AgentrtProperties}
 * binds.
 */
class SpringBootGuideTest {
  private static final Path GUIDE = Path.of("../docs/spring-boot.md");

  @Test
  void thePropertiesTableListsEveryPropertyAndNoOther() throws Exception {
    String guide = Files.readString(GUIDE);
    String table =
        guide.substring(guide.indexOf("## Properties"), guide.indexOf("## What the starter"));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z.-]+)` \\|").matcher(table);
    while (m.find()) documented.add(m.group(1));

    Set<String> bound = new TreeSet<>();
    names("agentrt", AgentrtProperties.class, bound);
    bound.add("management.health.agentrt.enabled");
    assertThat(documented).isEqualTo(bound);
  }

  private static void names(String prefix, Class<?> type, Set<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String name = prefix + "." + c.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
      if (c.getType().isRecord()) names(name, c.getType(), out);
      else out.add(name);
    }
  }
}
