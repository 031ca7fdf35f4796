package dev.morpheus.abi;

/**
 * The kernel side's stats table (per-CPU array {@code stats} in the BPF programs), with the
 * fixed ids of {@code MORPHEUS_STATS} in {@code morpheus_abi.h}. Ids never change meaning.
 */
public enum KernelStat {
    HINTS_POSTED(0, "hints posted into SCBs"),
    HINTS_ACKED(1, "hints acknowledged by workers"),
    HINTS_ACKED_LATE(2, "hints acknowledged after the grace period"),
    HINTS_COALESCED(3, "hints posted while an earlier one was unacked"),
    WORKER_EXITS(4, "registered threads that exited without unregistering"),
    ESCALATIONS_KICK(5, "workers preempted by a CPU kick"),
    ESCALATIONS_THROTTLE(6, "workers throttled through cgroup cpu.max"),
    CRITICAL_OVERRUNS(7, "critical sections held past max-critical"),
    RINGBUF_DROPS(8, "events dropped because the ring buffer was full"),
    SAMPLES(9, "periodic samples taken"),
    SCB_MISSES(10, "registered workers whose SCB could not be found"),
    SWITCHES(11, "context switches of registered workers seen");

    private final int id;
    private final String description;

    KernelStat(int id, String description) {
        this.id = id;
        this.description = description;
    }

    public int code() {
        return id;
    }

    public String description() {
        return description;
    }
}
