package dev.agentrt.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * expect_tool_results compares the fields a script gives, so a recorded script replays anywhere.
 */
class ScriptExpectationsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void covers_fieldsTheScriptLeavesOut_notCompared() throws Exception {
    JsonNode recorded =
        json("{\"matches\": [{\"path\": \"A.java\", \"line\": 3}], \"truncated\": false}");

    assertThat(
            ScriptedChatModel.covers(
                recorded,
                json(
                    "{\"matches\": [{\"path\": \"A.java\", \"line\": 3, \"text\": \"x\"}],"
                        + " \"truncated\": false, \"engine\": \"java\"}")))
        .isTrue();
  }

  @Test
  void covers_aDifferentValueOrLength_doesNotMatch() throws Exception {
    JsonNode recorded = json("{\"matches\": [{\"path\": \"A.java\", \"line\": 3}]}");

    assertThat(
            ScriptedChatModel.covers(
                recorded, json("{\"matches\": [{\"path\": \"A.java\", \"line\": 4}]}")))
        .isFalse();
    assertThat(ScriptedChatModel.covers(recorded, json("{\"matches\": []}"))).isFalse();
    assertThat(ScriptedChatModel.covers(recorded, json("{}"))).isFalse();
    assertThat(ScriptedChatModel.covers(json("{\"n\": 1}"), json("{\"n\": 1.0}"))).isTrue();
    assertThat(ScriptedChatModel.covers(json("{\"n\": null}"), json("{}"))).isFalse();
  }
}
