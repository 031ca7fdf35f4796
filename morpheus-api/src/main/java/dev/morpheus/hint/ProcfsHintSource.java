package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code hint-source = procfs}: Linux, unprivileged. Reads each registered worker's
 * {@code /proc/self/task/<tid>/schedstat} (time on CPU, time runnable but waiting on a run
 * queue, timeslices) every sample interval. When workers accumulate run-queue wait, the kernel
 * is making runnable work wait: the machine is oversubscribed, by this process or another one.
 * Then every worker that has run longer than its slice gets a hint.
 *
 * <p>Pressure (0-100) is the share of the last interval that the workers spent waiting.
 * Cost: one {@code pread} per worker per tick on a file kept open (schedstat is a seq_file, so
 * reading from offset 0 regenerates it), no allocation on the steady path. Limits: it sees only
 * waits of registered workers, after the fact (one interval late), and cannot tell which other
 * task wants the CPU; the kernel hint source knows both.
 *
 * <p>Each bound worker holds one open file (its sampler), keyed by the binding handed out for
 * it; {@link #unbind} closes it, so open fds follow registered workers, never registrations
 * ({@code ThreadChurnTest}).
 */
public final class ProcfsHintSource extends LocalHintSource {
    /** Wait share (percent of the interval) from which workers are told to yield. */
    private static final int PRESSURE_THRESHOLD = 2;

    private final Map<ScbBinding, Sampler> samplers = new ConcurrentHashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(128);
    private long lastTickNanos;

    public ProcfsHintSource(HintSourceContext context) {
        super(context);
    }

    /** Empty when this machine offers per-thread schedstat, else why not. */
    public static java.util.Optional<String> unavailableReason() {
        Path probe = Path.of("/proc/thread-self/schedstat");
        if (!Files.isReadable(probe)) {
            return java.util.Optional.of(probe + " is not readable (not Linux, or a kernel without CONFIG_SCHED_INFO)");
        }
        return java.util.Optional.empty();
    }

    @Override
    public String name() {
        return "procfs";
    }

    @Override
    public ScbBinding bind(int tid, String workerName, boolean escapable) throws HintSourceException {
        ScbBinding binding = super.bind(tid, workerName, escapable);
        if (tid > 0) {
            try {
                samplers.put(binding, new Sampler(FileChannel.open(Path.of("/proc/self/task/" + tid + "/schedstat"),
                        StandardOpenOption.READ)));
            } catch (IOException e) {
                super.unbind(binding);
                throw new HintSourceException("cannot open /proc/self/task/" + tid + "/schedstat: " + e.getMessage(), e);
            }
        }
        return binding;
    }

    @Override
    public void unbind(ScbBinding binding) {
        Sampler s = samplers.remove(binding);
        if (s != null) {
            s.close();
        }
        super.unbind(binding);
    }

    /** Samplers (open schedstat files) held now: one per bound worker with a thread id. */
    public int openSamplers() {
        return samplers.size();
    }

    @Override
    public void tick(long nowNanos) {
        long interval = lastTickNanos == 0 ? 0 : nowNanos - lastTickNanos;
        lastTickNanos = nowNanos;
        long waited = 0;
        int sampled = 0;
        for (Sampler s : samplers.values()) {
            long wait = s.readWaitNanos(buffer);
            if (wait >= 0) {
                if (s.lastWait >= 0) {
                    waited += wait - s.lastWait;
                    sampled++;
                }
                s.lastWait = wait;
            }
        }
        if (interval <= 0 || sampled == 0) {
            return;
        }
        int pressure = (int) Math.min(100, 100 * waited / (interval * sampled));
        if (pressure < PRESSURE_THRESHOLD) {
            return;
        }
        long slice = context.settings().sliceNanos();
        for (ScbBinding b : samplers.keySet()) {
            long ran = b.runningNanos(nowNanos);
            if (ran >= slice && !ScbAccess.hintPending(b.region(), b.scb())) {
                post(b, HintReason.SCHED_WAIT, pressure, nowNanos);
            }
        }
    }

    @Override
    public void close() {
        samplers.values().forEach(Sampler::close);
        samplers.clear();
    }

    /** One worker's open schedstat file and its last reading. */
    private static final class Sampler {
        final FileChannel channel;
        long lastWait = -1;

        Sampler(FileChannel channel) {
            this.channel = channel;
        }

        /** The second field of schedstat (ns spent waiting on a run queue), or -1 if unreadable. */
        long readWaitNanos(ByteBuffer buf) {
            buf.clear();
            try {
                if (channel.read(buf, 0) <= 0) {
                    return -1;
                }
            } catch (IOException e) {
                return -1; // the thread has exited; the housekeeper will unregister it
            }
            int i = 0;
            int n = buf.position();
            while (i < n && buf.get(i) != ' ') {
                i++;
            }
            i++;
            long v = 0;
            boolean any = false;
            for (; i < n; i++) {
                byte c = buf.get(i);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                any = true;
            }
            return any ? v : -1;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a procfs file cannot lose data
            }
        }
    }
}
