package dev.morpheus.pekko;

import java.util.Map;

/**
 * JMX view of one Morpheus dispatcher, registered as
 * {@code dev.morpheus:type=PekkoDispatcher,system=<actor system>,dispatcher=<id>} unless the
 * dispatcher's {@code morpheus.jmx = off}. Read-only; every attribute is a fresh snapshot.
 */
public interface MorpheusDispatcherMXBean {
    String getDispatcherId();

    String getHintSource();

    /** thread-pool-executor or fork-join-executor. */
    String getExecutor();

    /** DETERMINISTIC, PRESSURED or DEFENSIVE. */
    String getMode();

    int getMaxBatch();

    int getLiveWorkers();

    long getRegisteredWorkers();

    long getHintsPosted();

    long getHintsAnswered();

    /** Yields by cause (VOLUNTARY, HINT, BUDGET, DEADLINE, DEFENSIVE, ESCALATION_RECOVERY). */
    Map<String, Long> getYieldsByCause();

    long getBatchesCutByHint();

    long getBatchesCutByDeadline();

    /** Batches ended early so a thread could take newly woken work (wake-up preemption). */
    long getBatchesCutByHandover();

    /** Times a pool thread gave up its CPU for a hint from outside the JVM (at most once per slice of its CPU time). */
    long getCpuYields();

    long getBatchesAtBudget();

    long getActorsChecked();

    long getActorsCritical();

    long getActorsUnchecked();

    long getPendingWork();
}
