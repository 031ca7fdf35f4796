package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.List;

/** The "why" under the goals table: plain sentences derived from this run's numbers. */
final class GoalAnalysis {
    private GoalAnalysis() {}

    static List<String> explain(BenchmarkRunner b) {
        List<String> out = new ArrayList<>();
        int w = Goals.GOAL_WORKERS;
        RunResult blk = Tables.find(b.yieldRows, "blocking", w);
        if (blk == null) {
            return out;
        }
        if (blk.probeLate() > 0) {
            out.add("- blocking: " + blk.probeLate() + " of " + blk.probeSent() + " probe pings were still undelivered when the window ended: "
                    + "with " + w + " always-busy workers and batches of 1,000,000 units, the pool threads never reach the probe's mailbox "
                    + "(its delay is the time until the workers stopped).");
        }
        for (RunResult r : b.yieldRows) {
            if (r.workers() != w || !r.mode().startsWith("morpheus")) {
                continue;
            }
            long hints = r.yields().getOrDefault("HINT", 0L);
            long budget = r.yields().getOrDefault("BUDGET", 0L);
            long def = r.yields().getOrDefault("DEFENSIVE", 0L);
            StringBuilder s = new StringBuilder("- " + r.mode() + " used hint source `" + r.hintSource() + "` and yielded "
                    + hints + " times on hints, " + budget + " on max-batch, " + def + " defensively (runtime mode " + r.morpheusMode() + ").");
            if (hints == 0 && r.probeP99Ms() > 2 * b.o.sliceMillis) {
                if ("procfs".equals(r.hintSource())) {
                    s.append(" procfs only sees run-queue waits of the worker threads; with the pool no larger than the CPU count and no "
                            + "competing process, no thread waits for a CPU, so no hints are posted and Morpheus behaves like blocking: "
                            + "in-process queueing (the probe waiting behind busy actors) is invisible to it. Use `--hint-sources queue` "
                            + "(in-process pressure) or `--contend N` (cross-process pressure), or the kernel source.");
                } else {
                    s.append(" No hints arrived, so the workers kept their threads.");
                }
            }
            out.add(s.toString());
        }
        return out;
    }
}
