/**
 * The ToolBus implementation, its sandbox and the built-in tools ({@code fs.*}, {@code grep},
 * {@code http}, {@code json.query}, {@code yaml.*}, {@code tests.run}). Provides node kind {@code
 * tool}. Start at {@link dev.agentrt.tools.ToolBus}.
 */
@NullMarked
package dev.agentrt.tools;

import org.jspecify.annotations.NullMarked;
