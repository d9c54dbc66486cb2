package dev.agentrt.examples.springboot;

import dev.agentrt.core.AgentRuntime;
import dev.agentrt.core.InvalidInputException;
import dev.agentrt.core.RunResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /runs/{workflow}} with the run input as a JSON object: runs the workflow and answers
 * its output (200), or the run's status and message when it did not complete (422); 404 for a
 * workflow that {@code .agent/} does not define, 400 for an input its schema refuses.
 */
@RestController
class RunController {
  private final AgentRuntime runtime;

  RunController(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  @PostMapping(path = "/runs/{workflow}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> run(
      @PathVariable String workflow,
      @RequestBody(required = false) @Nullable Map<String, Object> input) {
    if (runtime.manifests().workflow(workflow).isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(Map.of("error", "no workflow '" + workflow + "'"));
    }
    RunResult result;
    try {
      result = runtime.run(workflow, input == null ? Map.of() : input);
    } catch (InvalidInputException e) {
      return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
    if (!result.isCompleted()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("run_id", result.runId());
      body.put("status", result.status().name());
      body.put("message", String.valueOf(result.message()));
      return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(body);
    }
    // the output is a Jackson 2 tree (agentrt's); send its JSON text as it is
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(result.output().toString());
  }
}
