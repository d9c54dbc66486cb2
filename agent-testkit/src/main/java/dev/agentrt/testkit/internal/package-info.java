/** Implementation of the testkit; not API. */
@NullMarked
package dev.agentrt.testkit.internal;

import org.jspecify.annotations.NullMarked;
