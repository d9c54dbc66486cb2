/**
 * Internal implementation of agent-core: the router, engine, manifest reading and templating.
 * Nothing here is API; it changes without notice. Classes are public only where another agent-core
 * package needs them.
 */
@NullMarked
package dev.agentrt.core.internal;

import org.jspecify.annotations.NullMarked;
