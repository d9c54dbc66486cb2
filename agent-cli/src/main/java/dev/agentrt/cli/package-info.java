/**
 * The {@code agentrt} command line: {@code validate}, {@code run} and {@code graph} over a
 * configuration directory, and {@code runs}, {@code show}, {@code resume}, {@code replay} and
 * {@code fork} over the runs of its checkpoint store, with the exit codes of ARCHITECTURE §10. Not
 * an API: everything but {@link dev.agentrt.cli.Main} is package-private.
 */
package dev.agentrt.cli;
