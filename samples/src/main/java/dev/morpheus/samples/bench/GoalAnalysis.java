package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.List;

/** The "why" under the goals table: plain sentences derived from this run's numbers. */
final class GoalAnalysis {
    private GoalAnalysis() {}

    static List<String> explain(BenchmarkRunner b) {
        List<String> out = new ArrayList<>();
        int w = Goals.GOAL_WORKERS;
        int cpus = (int) b.machine.get("cpus");
        double maxLoad = 0;
        for (RunResult r : b.yieldRows) {
            maxLoad = Math.max(maxLoad, r.loadAvg1m());
        }
        if (maxLoad > cpus) {
            out.add(String.format("- **Noise warning**: the 1-minute load average reached %.1f on %d CPUs during the yield suite "
                    + "(other processes were competing for the CPUs; see `load_avg_1m` per row in throughput.json). Absolute "
                    + "throughput moves by tens of percent between identical runs under such load; only large ratios are meaningful.",
                    maxLoad, cpus));
        }
        RunResult blk = Tables.find(b.yieldRows, "blocking", w);
        if (blk == null) {
            return out;
        }
        if (blk.probeLate() > 0 || blk.probeP99Ms() > 10 * b.o.sliceMillis) {
            out.add("- blocking: with " + w + " always-busy workers, batches of 1,000,000 units and " + b.o.threads
                    + " threads, the pool threads do not reach the probe's mailbox during the window (" + blk.probeLate() + " of "
                    + blk.probeSent() + " pings of the window were delivered only after it ended; fairness across actors "
                    + String.format("%.2f", blk.jainActors()) + "): the probe's delay is the time until the workers stopped.");
        }
        double rotation = (double) w / b.o.threads * b.o.sliceMillis;
        for (RunResult r : b.yieldRows) {
            if (r.workers() != w || !r.mode().startsWith("morpheus")) {
                continue;
            }
            long hints = r.yields().getOrDefault("HINT", 0L);
            long budget = r.yields().getOrDefault("BUDGET", 0L);
            long def = r.yields().getOrDefault("DEFENSIVE", 0L);
            StringBuilder s = new StringBuilder("- " + r.mode() + " (hint source `" + r.hintSource() + "`, runtime mode "
                    + r.morpheusMode() + "): " + hints + " yields on hints, " + budget + " at max-batch, " + def + " defensive; "
                    + r.threadSwitches() + " actor switches on the pool threads; fairness across actors "
                    + String.format("%.2f", r.jainActors()) + ".");
            boolean direct = r.mode().startsWith("morpheus-direct");
            if (!direct && hints > 0 && r.jainActors() < 0.6) {
                s.append(" The dispatcher answered the hints, but the threads went straight back to the same actors: on Pekko's "
                        + "fork-join pool a mailbox re-submitted from a pool thread lands in that thread's own local queue, which "
                        + "the thread drains before it looks at mailboxes submitted from outside (the probe's, the other workers'). "
                        + "Cutting the batch therefore lets nobody in while every thread is busy, and the probe starves as under "
                        + "blocking. This is a finding for the dispatcher: a cut mailbox must be queued behind the waiting work "
                        + "(for example a FIFO pool, as morpheus-direct uses, or a submission from outside the worker).");
            } else if (hints == 0 && r.probeP99Ms() > 2 * b.o.sliceMillis) {
                if ("procfs".equals(r.hintSource())) {
                    s.append(" procfs only sees run-queue waits of the pool threads; with no more pool threads than CPUs and no "
                            + "competing process, no thread waits for a CPU, so no hints are posted: the in-process queueing of "
                            + "the probe behind busy actors is invisible to it (use the queue source, `--contend N`, or the kernel source).");
                } else {
                    s.append(" No hints arrived, so the workers kept their threads.");
                }
            } else if (direct && r.probeP99Ms() > 2 * b.o.sliceMillis) {
                s.append(String.format(" On the FIFO pool a woken actor queues behind every runnable worker: with %d always-busy "
                        + "workers on %d threads yielding every slice, the probe waits about (N/threads) x slice = %.0f ms before "
                        + "its turn, plus the hint source's sampling delay and the CPU time other processes take; the deadline "
                        + "mode has the same structure. Meeting 2 x slice at this oversubscription needs the slice to shrink as "
                        + "the queue grows, or woken mailboxes to queue ahead of yielded ones.", w, b.o.threads, rotation));
            }
            out.add(s.toString());
        }
        return out;
    }
}
