package dev.morpheus.benchmarks;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import sun.misc.Unsafe;

/**
 * For comparison only: the checkpoint's acquire load through {@code sun.misc.Unsafe} on the
 * raw address of a direct buffer, without the ByteBuffer VarHandle's per-access checks (bounds,
 * read-only, scope). Shows what the hot path could cost if {@code ScbAccess} kept a raw address
 * (or, on JDK 22+, a MemorySegment); not used by Morpheus itself.
 */
final class RawScbAccess {
    private static final Unsafe UNSAFE;
    private static final long ADDRESS_OFFSET;

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            UNSAFE = (Unsafe) f.get(null);
            ADDRESS_OFFSET = UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RawScbAccess() {}

    /** The native address of a direct buffer's first byte. */
    static long address(ByteBuffer direct) {
        return UNSAFE.getLong(direct, ADDRESS_OFFSET);
    }

    /** An acquire-or-stronger load of the long at {@code address} (volatile; a plain load on x86). */
    static long loadAcquire(long address) {
        return UNSAFE.getLongVolatile(null, address);
    }
}
