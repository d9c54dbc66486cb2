package dev.agentrt.testkit.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small configuration directory for eval tests: workflow {@code t} (transforms only), {@code a}
 * (agent {@code writer} on model {@code m}, priced at 1000 USD per million tokens); {@link
 * #functionWorkflow()} adds {@code f} (function {@code flip}, to register).
 */
final class EvalFixture {
  final Path dir;

  EvalFixture(Path dir) {
    this.dir = dir;
    write(
        "config.yml",
        """
        models:
          m:
            provider: scripted
            script: scripts/a.yml
            api_key: ${env:EVAL_TEST_KEY:-}
            pricing: {input_per_mtok: 1000, output_per_mtok: 1000}
        checkpoint: {store: memory}
        """);
    write(
        "agents/writer.yml",
        """
        name: writer
        description: Writes a release note.
        model: m
        system: prompts/writer.md
        output: {schema: {type: object, required: [heading]}}
        """);
    write("prompts/writer.md", "Write the note.\n");
    write(
        "scripts/a.yml",
        """
        turns:
          - text: '{"heading": "### Fixed", "body": "- lazy validator"}'
            usage: {input_tokens: 100, output_tokens: 20}
        """);
    write(
        "workflows/t.yml",
        """
        id: t
        nodes:
          - {id: start, role: start}
          - id: shape
            kind: transform
            template: {heading: "### {{input.kind}}", body: "- lazy validator", n: 3, tags: [a, b]}
          - {id: done, role: exit, output: "{{shape}}"}
        edges:
          - {from: start, to: shape}
          - {from: shape, to: done}
        """);
    write(
        "workflows/a.yml",
        """
        id: a
        nodes:
          - {id: start, role: start}
          - {id: write, kind: agent, agent: writer}
          - {id: done, role: exit, output: "{{write}}"}
        edges:
          - {from: start, to: write}
          - {from: write, to: done}
        """);
  }

  EvalFixture functionWorkflow() {
    return write(
        "workflows/f.yml",
        """
        id: f
        nodes:
          - {id: start, role: start}
          - {id: flip, kind: function, function: flip}
          - {id: done, role: exit, output: "{{flip}}"}
        edges:
          - {from: start, to: flip}
          - {from: flip, to: done}
        """);
  }

  EvalFixture write(String file, String text) {
    try {
      Path p = dir.resolve(file);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  EvalFixture eval(String name, String text) {
    return write("evals/" + name + ".yml", text);
  }
}
