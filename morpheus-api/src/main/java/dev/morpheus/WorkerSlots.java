package dev.morpheus;

import dev.morpheus.hint.HintSource;
import dev.morpheus.hint.HintSourceException;
import dev.morpheus.hint.LocalScbPool;
import dev.morpheus.hint.ScbBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a registering worker's SCB comes from, and where it goes back: the hint source's slot,
 * or, when the source has none for it (quota, more threads than slots), a fallback slot in the
 * JVM's own memory that no source posts into. Registration never fails for want of a source
 * slot: the first worker that falls back is logged, later ones are only counted (as unmanaged
 * workers in the metrics).
 */
final class WorkerSlots {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerSlots.class);

    private final String instanceName;
    private final boolean escapable;
    private final HintSource source;
    /** Fallback slots serve workers no source can take; bounded only by the hard limit. */
    private final LocalScbPool fallback;
    private boolean warnedFallback;

    WorkerSlots(String instanceName, MorpheusConfig config, HintSource source) {
        this.instanceName = instanceName;
        this.escapable = config.escapable();
        this.source = source;
        this.fallback = new LocalScbPool(MorpheusConfig.MAX_WORKERS_LIMIT, config.sliceNanos(), config.graceNanos());
    }

    /**
     * A slot for the calling thread's new worker: the source's, else a fallback one.
     * @throws IllegalStateException when not even a fallback slot is left
     */
    ScbBinding claim(int tid, String workerName) {
        try {
            return source.bind(tid, workerName, escapable);
        } catch (HintSourceException e) {
            return claimFallback(tid, workerName, e);
        }
    }

    private ScbBinding claimFallback(int tid, String workerName, HintSourceException why) {
        synchronized (fallback) {
            if (!warnedFallback) {
                warnedFallback = true;
                LOG.warn("Morpheus {}: worker '{}' runs without hints from {}: {} (further such workers are counted, not logged)",
                        instanceName, workerName, source.name(), why.getMessage());
            }
        }
        try {
            return fallback.claim(tid, escapable, false);
        } catch (HintSourceException e) {
            throw new IllegalStateException("Morpheus " + instanceName + ": cannot register worker '" + workerName + "': "
                    + e.getMessage(), e);
        }
    }

    /** Returns a closed worker's slot to where it came from. */
    void release(ScbBinding binding) {
        if (binding.managed()) {
            source.unbind(binding);
        } else {
            fallback.release(binding);
        }
    }
}
