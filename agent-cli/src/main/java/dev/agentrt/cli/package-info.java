/**
 * The {@code agentrt} command line: {@code validate}, {@code run} and {@code graph} over a
 * configuration directory, with the exit codes of ARCHITECTURE §10. Not an API: everything but
 * {@link dev.agentrt.cli.Main} is package-private.
 */
package dev.agentrt.cli;
