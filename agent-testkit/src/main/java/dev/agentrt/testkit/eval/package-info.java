/**
 * Evals: workflow runs with expectations, read from a configuration directory's {@code evals/*.yml}
 * ({@link dev.agentrt.testkit.eval.EvalSuite}), run on fresh test runtimes ({@link
 * dev.agentrt.testkit.eval.EvalRunner}) and reported as a table, JSON or JUnit XML ({@link
 * dev.agentrt.testkit.eval.EvalReport}). This package uses neither JUnit nor AssertJ: {@code
 * agentrt eval} bundles it without them.
 */
@NullMarked
package dev.agentrt.testkit.eval;

import org.jspecify.annotations.NullMarked;
