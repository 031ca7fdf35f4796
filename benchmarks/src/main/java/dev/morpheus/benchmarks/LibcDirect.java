package dev.morpheus.benchmarks;

import com.sun.jna.Native;

/**
 * A JNA direct-mapped binding to one trivial libc function, {@code abs(int)}: no system call,
 * so a call measures only the cost of crossing from Java into native code and back, which is
 * what a checkpoint implemented as a native call (instead of a load from shared memory) would
 * pay every time. When libmorpheus exists, its checkpoint function can take this place.
 */
final class LibcDirect {
    private LibcDirect() {}

    static {
        Native.register("c");
    }

    static native int abs(int x);
}
