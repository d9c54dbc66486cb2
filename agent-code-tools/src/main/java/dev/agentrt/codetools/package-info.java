/**
 * Tools for coding agents ({@code patch.apply}, {@code java.check}, {@code git.status}, {@code
 * git.diff}), offered to every ToolBus by discovery. Start at {@link
 * dev.agentrt.codetools.CodeTools}.
 */
@NullMarked
package dev.agentrt.codetools;

import org.jspecify.annotations.NullMarked;
