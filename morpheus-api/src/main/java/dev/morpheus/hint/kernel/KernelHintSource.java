package dev.morpheus.hint.kernel;

import dev.morpheus.abi.HintWords;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.hint.Health;
import dev.morpheus.hint.HintSource;
import dev.morpheus.hint.HintSourceContext;
import dev.morpheus.hint.HintSourceException;
import dev.morpheus.hint.ScbBinding;
import java.util.ArrayList;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hint-source = kernel}: hints posted by the kernel. morpheusd (root) runs a BPF program
 * that watches the run queues and writes hints straight into SCBs in a region it shares with
 * this JVM; this class only connects (libmorpheus over JNA), maps the region and registers
 * worker threads. The checkpoint reads the mapped SCB like any other source's: one acquire
 * load, no JNA call, no allocation.
 *
 * <p>Losing the daemon: {@link #tick} notices within one tick when the socket closes (a ping
 * every {@value #PING_INTERVAL_MS} ms) or when the region's heartbeat is older than
 * {@code stale-after}. {@link #health()} then reports LOST (the runtime goes DEFENSIVE and
 * posts its own time-sliced hints), and the source reconnects every
 * {@value #RECONNECT_INTERVAL_MS} ms. Once the daemon is back, every bound worker is registered
 * again in the new region and handed over with {@link HintSourceContext#rebind}; the old region
 * stays mapped while any binding references it (workers adopt the new SCB only at their next
 * checkpoint), see {@link DaemonClient}.
 *
 * <p>Workers that register while the daemon is away are refused ({@link HintSourceException}),
 * so the runtime gives them an unmanaged slot: they run, without kernel hints.
 *
 * <p>Counting: the BPF program's hints cannot be asked for, so each tick adds how far every
 * bound SCB's {@code kernel_hint_seq} moved. The runtime's own hints into the same SCBs (queue
 * pressure, defensive hints) move only {@code local_hint_seq} (ABI 2: one writer per field) and
 * the runtime counts those itself, so every hint is counted once.
 */
public final class KernelHintSource implements HintSource {
    static final String NAME = "kernel";
    static final long PING_INTERVAL_MS = 200;
    static final long RECONNECT_INTERVAL_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(KernelHintSource.class);

    private final HintSourceContext context;
    private final String socket;
    private final long staleAfterNanos;
    private final Object lock = new Object();
    /**
     * Bound workers and the kernel_hint_seq last counted for each, keyed by the binding handed out
     * (bindings are equal only to themselves, so unbind finds its entry whatever the SCB holds).
     */
    private final Map<ScbBinding, long[]> bound = new ConcurrentHashMap<>();
    /**
     * Old binding to new, for workers handed over after a reconnect, so that a worker that ends
     * before adopting its new SCB (it unbinds the old one) frees both. Weak keys (under
     * {@link #lock}): once the worker adopted the new binding nothing else references the old
     * one, the entry goes, and with the last binding of the old region the region itself is
     * unmapped ({@link DaemonClient}); a strong map kept every old region mapped for as long as
     * its workers lived.
     */
    private final Map<ScbBinding, ScbBinding> movedTo = new WeakHashMap<>();
    private final AtomicLong hintsSeen = new AtomicLong();
    private volatile DaemonClient client;
    private volatile Health health = Health.healthy();
    private long nextPingNanos;
    private long nextReconnectNanos;
    private int reconnects;
    /** The last disagreement with a daemon's settings logged (DaemonAgreement), so each is logged once. */
    private String lastDisagreement;

    private KernelHintSource(HintSourceContext context, DaemonClient client) {
        this.context = context;
        this.socket = context.settings().socket();
        this.staleAfterNanos = context.settings().staleAfterNanos();
        this.client = client;
        checkAgreement(client);
    }

    /** Logs, once per distinct difference, where this JVM's slice or max-critical differ from the daemon's. */
    private void checkAgreement(DaemonClient c) {
        String line = DaemonAgreement.disagreement(c.region(), context.settings()).orElse(null);
        if (line != null && !line.equals(lastDisagreement)) {
            LOG.warn(line);
        }
        lastDisagreement = line;
    }

    /**
     * Connects to morpheusd.
     * @throws HintSourceException when libmorpheus is missing or no daemon answers
     */
    public static KernelHintSource open(HintSourceContext context) throws HintSourceException {
        String loadError = NativeMorpheus.loadError();
        if (loadError != null) {
            throw new HintSourceException("hint-source = kernel: libmorpheus not loadable: " + loadError);
        }
        try {
            DaemonClient c = DaemonClient.open(context.settings().socket());
            LOG.info("Morpheus kernel hint source: morpheusd at {}, region {}", context.settings().socket(), c.regionId());
            return new KernelHintSource(context, c);
        } catch (DaemonClient.DaemonException e) {
            throw new HintSourceException("hint-source = kernel: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ScbBinding bind(int tid, String workerName, boolean escapable) throws HintSourceException {
        if (tid <= 0) {
            throw new HintSourceException("worker " + workerName + " has no kernel thread id: the kernel cannot watch it");
        }
        synchronized (lock) {
            DaemonClient c = client;
            if (c == null) {
                throw new HintSourceException("morpheusd is gone (" + health.reason() + "): worker " + workerName
                        + " runs without kernel hints");
            }
            try {
                ScbBinding b = new ScbBinding(c.region(), c.register(tid, escapable), tid, escapable, true);
                bound.put(b, new long[] {kernelSeq(b)});
                return b;
            } catch (DaemonClient.DaemonException e) {
                throw new HintSourceException("morpheusd refused worker " + workerName + " (tid " + tid + "): "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public void unbind(ScbBinding binding) {
        synchronized (lock) {
            // a worker that ends before adopting its new SCB unbinds the old one: free both
            ScbBinding fresh = movedTo.remove(binding);
            if (fresh != null) {
                unbind(fresh);
            }
            movedTo.values().remove(binding);
            bound.remove(binding);
            DaemonClient c = client;
            if (c != null && binding.region() == c.region()) {
                c.unregister(binding.slot());
            }
        }
    }

    @Override
    public void tick(long nowNanos) {
        countHints(client != null);
        synchronized (lock) {
            DaemonClient c = client;
            if (c != null) {
                checkAlive(c, nowNanos);
            } else if (nowNanos - nextReconnectNanos >= 0) {
                reconnect(nowNanos);
            }
        }
    }

    /**
     * Adds the kernel's hints since the last tick to the total: the {@code kernel_hint_seq}
     * increments of each bound SCB (32-bit, counted modulo 2^32). The runtime's own hints move
     * only {@code local_hint_seq} (the runtime counts those), so nothing needs subtracting.
     * While the daemon is away nothing is counted. Housekeeping thread only: the marks need no lock.
     */
    private void countHints(boolean connected) {
        for (Map.Entry<ScbBinding, long[]> e : bound.entrySet()) {
            ScbBinding b = e.getKey();
            long seq = kernelSeq(b);
            long[] last = e.getValue();
            if (connected) {
                hintsSeen.addAndGet((seq - last[0]) & 0xffff_ffffL);
            }
            last[0] = seq;
        }
    }

    private static long kernelSeq(ScbBinding b) {
        return Integer.toUnsignedLong(HintWords.kernelSeq(ScbAccess.hintWordAcquire(b.region(), b.scb())));
    }

    private void checkAlive(DaemonClient c, long nowNanos) {
        long age = nowNanos - ScbAccess.heartbeatNanos(c.region());
        String lost = null;
        if (age > staleAfterNanos) {
            lost = "region heartbeat " + age / 1_000_000 + " ms old (stale-after " + staleAfterNanos / 1_000_000 + " ms)";
        } else if (nowNanos - nextPingNanos >= 0) {
            nextPingNanos = nowNanos + PING_INTERVAL_MS * 1_000_000;
            int r = c.ping();
            if (r < 0) {
                lost = "morpheusd stopped answering (errno " + -r + ")";
            }
        }
        if (lost != null && bound.isEmpty()) {
            // No worker registered: morpheusd closes such a connection after its --idle-timeout-ms
            // (a region nobody uses is not kept). That is not a loss: reconnect at once, quietly;
            // only a daemon that does not answer the reconnect is lost.
            c.close();
            client = null;
            if (reconnect(nowNanos, true)) {
                return;
            }
        }
        if (lost != null) {
            LOG.warn("Morpheus kernel hint source lost: {}; reconnecting to {} every {} ms", lost, socket,
                    RECONNECT_INTERVAL_MS);
            health = Health.lost(lost);
            c.close(); // its region stays mapped while workers reference it
            client = null;
            nextReconnectNanos = nowNanos;
        }
    }

    private void reconnect(long nowNanos) {
        reconnect(nowNanos, false);
    }

    /** Connects again and moves the bound workers over; true if connected. {@code quiet}: log at debug (an idle connection renewed). */
    private boolean reconnect(long nowNanos, boolean quiet) {
        nextReconnectNanos = nowNanos + RECONNECT_INTERVAL_MS * 1_000_000;
        DaemonClient fresh;
        try {
            fresh = DaemonClient.open(socket);
        } catch (DaemonClient.DaemonException e) {
            return false; // still away; LOST stays
        }
        int moved = 0;
        for (ScbBinding old : new ArrayList<>(bound.keySet())) {
            try {
                int slot = fresh.register(old.tid(), old.escapable());
                ScbBinding b = new ScbBinding(fresh.region(), slot, old.tid(), old.escapable(), true);
                bound.remove(old);
                bound.put(b, new long[] {kernelSeq(b)});
                movedTo.put(old, b);
                context.rebind(old, b);
                moved++;
            } catch (DaemonClient.DaemonException e) {
                // thread gone or quota: it keeps its old SCB, which no longer receives hints
                LOG.debug("Morpheus kernel hint source: tid {} not re-registered: {}", old.tid(), e.getMessage());
            }
        }
        client = fresh;
        checkAgreement(fresh);
        reconnects++;
        nextPingNanos = nowNanos + PING_INTERVAL_MS * 1_000_000;
        health = Health.healthy();
        if (quiet) {
            LOG.debug("Morpheus kernel hint source: idle connection renewed (region {})", fresh.regionId());
        } else {
            LOG.info("Morpheus kernel hint source: morpheusd is back (region {}), {} workers moved", fresh.regionId(), moved);
        }
        return true;
    }

    @Override
    public Health health() {
        return health;
    }

    /** Hints the kernel posted into this source's SCBs while connected (the runtime's own are not among them). */
    @Override
    public long hintsPosted() {
        return hintsSeen.get();
    }

    /** Workers bound to this source now (registered with the daemon, or waiting to be moved to it). */
    public int boundWorkers() {
        return bound.size();
    }

    /** Times the source reconnected after losing the daemon. */
    public int reconnects() {
        synchronized (lock) {
            return reconnects;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            DaemonClient c = client;
            client = null;
            if (c != null) {
                c.close();
            }
            bound.clear();
            movedTo.clear();
            health = Health.lost("closed");
        }
    }
}
