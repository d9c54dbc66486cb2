/**
 * The events of a run, as immutable records in the sealed {@link dev.agentrt.core.event.RunEvent}
 * hierarchy, delivered to {@link dev.agentrt.core.spi.RunListener}s.
 */
@NullMarked
package dev.agentrt.core.event;

import org.jspecify.annotations.NullMarked;
