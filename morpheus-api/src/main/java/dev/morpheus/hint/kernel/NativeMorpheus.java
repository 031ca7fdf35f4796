package dev.morpheus.hint.kernel;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * INTERNAL: JNA direct mapping of libmorpheus ({@code native/include/morpheus.h}). Loaded once;
 * when the library is missing {@link #loadError()} says why and nothing here may be called.
 * The library is looked up as {@code morpheus} on {@code jna.library.path} (the build sets it
 * to {@code build/native}) or the system paths, or taken from the system property
 * {@code morpheus.native.library} (a full path).
 *
 * <p>Every function returns 0 / a non-negative result or {@code -errno};
 * {@link #morpheus_last_error()} is the calling thread's message. None is called on the
 * checkpoint path: workers read the mmapped region directly.
 */
final class NativeMorpheus {
    private static final String LOAD_ERROR;

    static {
        String error = null;
        try {
            Native.register(NativeMorpheus.class, System.getProperty("morpheus.native.library", "morpheus"));
        } catch (UnsatisfiedLinkError | SecurityException | IllegalArgumentException e) {
            error = e.getMessage();
        }
        LOAD_ERROR = error;
    }

    private NativeMorpheus() {}

    /** Null when libmorpheus is loaded, else why not. */
    static String loadError() {
        return LOAD_ERROR;
    }

    /** @param out receives the client handle (a pointer) in {@code out[0]} */
    static native int morpheus_open(String socketPath, long[] out);

    static native Pointer morpheus_region(Pointer client);

    /** size_t: 64-bit platforms only, like the rest of Morpheus. */
    static native long morpheus_region_size(Pointer client);

    static native int morpheus_region_id(Pointer client);

    static native int morpheus_register_tid(Pointer client, int tid, int escapable);

    static native int morpheus_unregister(Pointer client, int slot);

    static native int morpheus_ping(Pointer client);

    static native int morpheus_disconnect(Pointer client);

    static native void morpheus_close(Pointer client);

    static native String morpheus_last_error();
}
