/**
 * Fakes shared by the tests of every agentrt module (a clock tests move by hand, a child-JVM
 * harness) and {@link dev.agentrt.testsupport.NoThreadLeftExtension}, which every module's tests
 * run under. Test scope only: never a dependency of main code, never published.
 */
@NullMarked
package dev.agentrt.testsupport;

import org.jspecify.annotations.NullMarked;
