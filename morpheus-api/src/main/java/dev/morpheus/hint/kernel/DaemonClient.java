package dev.morpheus.hint.kernel;

import com.sun.jna.Pointer;
import dev.morpheus.abi.ScbAccess;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * INTERNAL: one connection to morpheusd and the region it handed over, mapped into this JVM.
 *
 * <p>Unmapping memory a thread still reads would crash the JVM, and a worker may run a few more
 * checkpoints after its instance closed. So {@link #close()} only disconnects (the daemon frees
 * the slots); the mapping is released by a {@link Cleaner} once the region buffer - which every
 * {@link dev.morpheus.hint.ScbBinding} of it references - is unreachable.
 */
final class DaemonClient implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private final Pointer handle;
    private final ByteBuffer region;
    private final int regionId;
    private boolean closed;

    private DaemonClient(Pointer handle, ByteBuffer region, int regionId) {
        this.handle = handle;
        this.region = region;
        this.regionId = regionId;
        long peer = Pointer.nativeValue(handle);
        // must not capture the buffer: it runs when the buffer is unreachable
        CLEANER.register(region, () -> NativeMorpheus.morpheus_close(new Pointer(peer)));
    }

    /**
     * Connects, says HELLO, maps the region and checks its header.
     * @throws DaemonException with libmorpheus's message when any step fails
     */
    static DaemonClient open(String socketPath) throws DaemonException {
        long[] out = new long[1];
        int r = NativeMorpheus.morpheus_open(socketPath, out);
        if (r < 0) {
            throw new DaemonException(r, NativeMorpheus.morpheus_last_error());
        }
        Pointer handle = new Pointer(out[0]);
        long size = NativeMorpheus.morpheus_region_size(handle);
        ByteBuffer region = NativeMorpheus.morpheus_region(handle).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        try {
            ScbAccess.validateHeader(region);
        } catch (IllegalStateException e) {
            NativeMorpheus.morpheus_close(handle);
            throw new DaemonException(-71 /* EPROTO */, e.getMessage());
        }
        return new DaemonClient(handle, region, NativeMorpheus.morpheus_region_id(handle));
    }

    ByteBuffer region() {
        return region;
    }

    int regionId() {
        return regionId;
    }

    /** @return the slot for tid in {@link #region()} */
    synchronized int register(int tid, boolean escapable) throws DaemonException {
        checkOpen();
        int r = NativeMorpheus.morpheus_register_tid(handle, tid, escapable ? 1 : 0);
        if (r < 0) {
            throw new DaemonException(r, NativeMorpheus.morpheus_last_error());
        }
        return r;
    }

    synchronized void unregister(int slot) {
        if (!closed) {
            NativeMorpheus.morpheus_unregister(handle, slot);
        }
    }

    /** 0 while the daemon answers, {@code -errno} once it is gone. */
    synchronized int ping() {
        return closed ? -107 /* ENOTCONN */ : NativeMorpheus.morpheus_ping(handle);
    }

    private void checkOpen() throws DaemonException {
        if (closed) {
            throw new DaemonException(-107, "client closed");
        }
    }

    /** Disconnects; the region stays mapped while any binding still references it. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            NativeMorpheus.morpheus_disconnect(handle);
        }
    }

    /** A libmorpheus failure: the negative errno and its message. */
    static final class DaemonException extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        DaemonException(int errno, String message) {
            super(message + " (errno " + -errno + ")");
            this.errno = errno;
        }
    }
}
